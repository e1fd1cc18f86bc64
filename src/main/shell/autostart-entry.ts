/**
 * "Start at login" as data: the arguments a login launch gets, and the freedesktop autostart entry
 * (~/.config/autostart/stacktray.desktop) Linux uses for it. Pure.
 */
import { jsFlagsSwitch, MAIN_PROCESS_V8_FLAGS } from './v8-flags';

/** A launch at login starts in the tray. */
export const HIDDEN_FLAG = '--hidden';

/** With the main process's V8 flags, so a login launch needs no relaunch (see v8-flags.ts). */
export const LOGIN_ARGS: readonly string[] = [HIDDEN_FLAG, jsFlagsSwitch(MAIN_PROCESS_V8_FLAGS)];

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Stacktray',
    'Comment=Local error tracker',
    `Exec=${[executable, ...LOGIN_ARGS].map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One Exec argument as the Desktop Entry spec reads it: quoted, with `"`, `` ` ``, `$` and `\` escaped,
 * then the string-level escaping doubles every backslash again; `%` starts field codes, so it is doubled.
 */
function execArg(arg: string): string {
  const quoted = `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}
