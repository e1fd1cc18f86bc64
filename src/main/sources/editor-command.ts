/**
 * The command that opens a file at a line in the user's editor, from `STACKTRAY_EDITOR`, `VISUAL` or
 * `EDITOR`. Pure. Terminal editors (vim, nano…) need a terminal a desktop app does not have, so they
 * yield null (the caller reports that; it never falls back to the OS default application).
 *
 * Not `launch-editor` (Vite's and Spotlight's): it guesses the editor by listing running processes
 * on every call, adds its own LAUNCH_EDITOR variable beside our `editor` setting, reports failures
 * to a callback rather than as a reason we can answer with, and its editor table is a second one to
 * keep. This table is small, pure and tested; Windows `.cmd` launching is in editor-launch.ts.
 */
import { basename } from 'node:path';

export interface EditorCommand {
  command: string;
  args: string[];
}

export interface FilePosition {
  path: string;
  line?: number;
  column?: number;
}

const GOTO_FLAG = new Set(['code', 'code-insiders', 'codium', 'vscodium', 'cursor', 'windsurf']);
const COLON_SUFFIX = new Set(['subl', 'sublime_text', 'zed']);
const JETBRAINS = new Set(['idea', 'webstorm', 'phpstorm', 'pycharm', 'goland', 'rubymine', 'clion', 'rider', 'studio']);
const TERMINAL_ONLY = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'micro', 'hx', 'helix', 'kak', 'ed', 'joe', 'ne']);

export function configuredEditor(env: NodeJS.ProcessEnv): string | undefined {
  return [env.STACKTRAY_EDITOR, env.VISUAL, env.EDITOR].find((value) => value !== undefined && value.trim() !== '');
}

export function editorCommand(editor: string, position: FilePosition): EditorCommand | null {
  const [command, ...baseArgs] = editor.trim().split(/\s+/);
  if (command === undefined || command === '') return null;
  const name = basename(command).replace(/\.(exe|cmd|bat)$/i, '').toLowerCase();
  const { path, line, column } = position;
  const at = line === undefined ? path : column === undefined ? `${path}:${line}` : `${path}:${line}:${column}`;
  if (GOTO_FLAG.has(name)) return { command, args: [...baseArgs, '--goto', at] };
  if (COLON_SUFFIX.has(name)) return { command, args: [...baseArgs, at] };
  if (JETBRAINS.has(name)) {
    const lineArgs = line === undefined ? [] : ['--line', String(line)];
    const columnArgs = column === undefined ? [] : ['--column', String(column)];
    return { command, args: [...baseArgs, ...lineArgs, ...columnArgs, path] };
  }
  if (name === 'mate') return { command, args: [...baseArgs, ...(line === undefined ? [] : ['-l', String(line)]), path] };
  if (name === 'emacsclient') {
    // -n returns at once; needs a running Emacs server, which is how emacsclient is meant to be used.
    const goto = line === undefined ? [] : [`+${line}${column === undefined ? '' : `:${column}`}`];
    return { command, args: [...baseArgs, '-n', ...goto, path] };
  }
  if (TERMINAL_ONLY.has(name)) return null;
  return { command, args: [...baseArgs, path] };
}
