/**
 * Starts the editor command (see editor-command.ts) detached. On Windows, editors installed as
 * `.cmd`/`.bat` shims (code, cursor…) can only start through cmd.exe since Node's fix for
 * CVE-2024-27980 (spawning them directly fails with EINVAL, and `code` without its extension with
 * ENOENT); cmd.exe re-parses its command line, so every argument is quoted and one that holds a
 * character cmd.exe would act on is refused rather than escaped.
 */
import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import type { EditorCommand } from './editor-command';

export type SpawnPlan =
  | { ok: true; file: string; args: string[]; windowsVerbatimArguments?: true }
  | { ok: false; reason: string };

/** Characters cmd.exe interprets even inside double quotes, or that end a quoted argument. */
const CMD_UNSAFE = /["%!^\r\n\0]/;
/** Outside quotes these also act: allowed only because every argument is quoted. */
const WINDOWS_DIRECT = new Set(['.exe', '.com']);

export function spawnPlan(command: EditorCommand, platform: NodeJS.Platform, comspec = 'cmd.exe'): SpawnPlan {
  if (platform !== 'win32' || WINDOWS_DIRECT.has(extname(command.command).toLowerCase())) {
    return { ok: true, file: command.command, args: command.args };
  }
  const parts = [command.command, ...command.args];
  const unsafe = parts.find((part) => CMD_UNSAFE.test(part));
  if (unsafe !== undefined) return { ok: false, reason: `${unsafe} holds a character cmd.exe would interpret: not passed to the editor` };
  // /d: no AutoRun commands; /s /c "…": cmd keeps the quoted line as is.
  const line = parts.map((part) => `"${part}"`).join(' ');
  return { ok: true, file: comspec, args: ['/d', '/s', '/c', `"${line}"`], windowsVerbatimArguments: true };
}

/** Resolves true once the editor process started, with the reason otherwise. */
export function launch(plan: Extract<SpawnPlan, { ok: true }>): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(plan.file, plan.args, {
        detached: true,
        stdio: 'ignore',
        windowsHide: true,
        ...(plan.windowsVerbatimArguments ? { windowsVerbatimArguments: true } : {}),
      });
    } catch (error) {
      resolve({ ok: false, reason: `${plan.file} could not start: ${(error as Error).message}` });
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: `${plan.file} could not start (${error.code ?? error.message})` }));
    child.once('spawn', () => {
      child.unref();
      resolve({ ok: true });
    });
  });
}
