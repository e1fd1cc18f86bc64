/**
 * Whether a tray icon shows up on this Linux desktop. Electron's Linux tray is a StatusNotifierItem
 * (D-Bus); without a StatusNotifierWatcher on the session bus it falls back to the old XEmbed tray,
 * which GNOME Shell no longer has, so on GNOME without the AppIndicator extension the icon is simply
 * not there. Other desktops keep an XEmbed tray or a watcher. macOS and Windows always show one.
 */
import { execFile } from 'node:child_process';

/** The StatusNotifierItem host's bus name (KDE's spec, used by GNOME's AppIndicator extension too). */
export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

/** Runs a program; resolves to its stdout, or null when it cannot run or fails. */
export type RunProgram = (command: string, args: string[]) => Promise<string | null>;

export interface TrayFacts {
  os: NodeJS.Platform;
  /** `XDG_CURRENT_DESKTOP`, e.g. "ubuntu:GNOME", "KDE", "XFCE". */
  currentDesktop: string | undefined;
  /** Whether the watcher has an owner on the session bus; null when the bus could not be asked. */
  watcherPresent: boolean | null;
}

export function trayVisible(facts: TrayFacts): boolean {
  if (facts.os !== 'linux') return true;
  if (facts.watcherPresent === true) return true;
  // No watcher (or no answer): only GNOME is known to have no fallback tray at all.
  return !isGnome(facts.currentDesktop);
}

export function isGnome(currentDesktop: string | undefined): boolean {
  return (currentDesktop ?? '').split(':').some((name) => name.toUpperCase() === 'GNOME');
}

/** Reads `NameHasOwner`'s answer as `gdbus` ("(true,)") or `dbus-send --print-reply` ("boolean true") prints it. */
export function parseNameHasOwner(output: string): boolean | null {
  const answer = /\(\s*(true|false)\s*,\s*\)|boolean\s+(true|false)/.exec(output);
  if (answer === null) return null;
  return (answer[1] ?? answer[2]) === 'true';
}

/** Asks the session bus whether a StatusNotifierWatcher runs, with whichever D-Bus client is installed. */
export async function watcherPresent(run: RunProgram = runProgram): Promise<boolean | null> {
  const gdbus = await run('gdbus', [
    'call', '--session', '--timeout', '2',
    '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus',
    '--method', 'org.freedesktop.DBus.NameHasOwner', STATUS_NOTIFIER_WATCHER,
  ]);
  const fromGdbus = gdbus === null ? null : parseNameHasOwner(gdbus);
  if (fromGdbus !== null) return fromGdbus;
  const dbusSend = await run('dbus-send', [
    '--session', '--print-reply', '--reply-timeout=2000', '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${STATUS_NOTIFIER_WATCHER}`,
  ]);
  return dbusSend === null ? null : parseNameHasOwner(dbusSend);
}

function runProgram(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 3000, encoding: 'utf8' }, (error, stdout) => resolve(error ? null : stdout));
  });
}
