/**
 * "Start at login". macOS and Windows have an OS API (Electron's login item settings); on Linux the
 * freedesktop way is an autostart entry in ~/.config/autostart. Launches at login pass --hidden so the
 * app starts in the tray.
 */
import { app } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';

export function setOpenAtLogin(open: boolean): void {
  // A development build would register the bare Electron binary: only packaged apps touch the OS.
  if (!app.isPackaged) return;
  if (process.platform === 'linux') {
    setLinuxAutostart(open);
    return;
  }
  app.setLoginItemSettings({ openAtLogin: open, args: [HIDDEN_FLAG] });
}

export function launchedAtLogin(): boolean {
  if (process.argv.includes(HIDDEN_FLAG)) return true;
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
  const executable = process.env.APPIMAGE ?? process.execPath;
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    file,
    [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Stacktray',
      'Comment=Local error tracker',
      `Exec="${executable.replace(/(["\\`$])/g, '\\$1')}" ${HIDDEN_FLAG}`,
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'),
  );
}
