/**
 * "Start at login". macOS and Windows have an OS API (Electron's login item settings); on Linux the
 * freedesktop way is an autostart entry in ~/.config/autostart (../autostart-entry.ts).
 */
import { app } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { autostartEntry, LOGIN_ARGS } from '../autostart-entry';

export function setOpenAtLogin(open: boolean): void {
  // A development build would register the bare Electron binary: only packaged apps touch the OS.
  if (!app.isPackaged) return;
  if (process.platform === 'linux') {
    setLinuxAutostart(open);
    return;
  }
  // `args` reach Windows only; macOS opens the app bare (it then relaunches once with the V8 flags).
  app.setLoginItemSettings({ openAtLogin: open, args: [...LOGIN_ARGS] });
}

/**
 * macOS opens a login item without arguments: whether this launch was one. Valid only after `ready`
 * (Electron learns it from the launch event); the shell asks then. Windows and Linux pass --hidden.
 */
export function openedByLoginItem(): boolean {
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}

function setLinuxAutostart(open: boolean): void {
  const folder = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart');
  const file = join(folder, 'stacktray.desktop');
  if (!open) {
    rmSync(file, { force: true });
    return;
  }
  // An AppImage runs from a temporary mount: autostart must point at the AppImage file itself.
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, autostartEntry(process.env.APPIMAGE ?? process.execPath));
}
