/**
 * "Install Command Line Tool", as VS Code does it: on macOS and Linux a `stacktray` link in a
 * folder on PATH to a launcher that runs this app's runtime as Node; on Windows a `stacktray.cmd`
 * shim in a user folder on PATH. The choices are pure; the file work goes through the platform.
 */
import { posix, win32 } from 'node:path';
import type { CommandLineEntry, ShellPlatform } from './platform';

const MARKER = "Stacktray's command-line tool";

export interface CliInstallResult {
  ok: boolean;
  message: string;
  detail: string;
}

/** Single-quoted for sh: a quote inside becomes '\''. */
const shQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export function unixLauncher(entry: CommandLineEntry): string {
  return [
    '#!/bin/sh',
    `# ${MARKER}, written by the app's "Install Command Line Tool": runs the app's own runtime as Node.`,
    `ELECTRON_RUN_AS_NODE=1 exec ${shQuote(entry.executable)} ${shQuote(entry.script)} "$@"`,
    '',
  ].join('\n');
}

export function windowsShim(entry: CommandLineEntry): string {
  // cmd expands %…% even inside quotes: a literal % in a path is written %%.
  const cmdPath = (path: string) => `"${path.replaceAll('%', '%%')}"`;
  return [
    '@echo off',
    `rem ${MARKER}, written by the app's "Install Command Line Tool".`,
    'setlocal',
    'set ELECTRON_RUN_AS_NODE=1',
    `${cmdPath(entry.executable)} ${cmdPath(entry.script)} %*`,
    '',
  ].join('\r\n');
}

function pathEntries(os: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  const value = (os === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const path = os === 'win32' ? win32 : posix;
  return value
    .split(os === 'win32' ? ';' : ':')
    .filter((entry) => entry.trim() !== '')
    .map((entry) => path.normalize(entry.replace(/[\\/]+$/, '') || entry));
}

export interface InstallFolders {
  /** Preferred folders that are on PATH, best first. */
  onPath: string[];
  /** Where to install when none of them is writable (not on PATH: the user is told to add it). */
  fallback: string;
}

/** User folders first (no administrator needed), then the system-wide ones a user may own. */
export function installFolders(os: NodeJS.Platform, env: NodeJS.ProcessEnv): InstallFolders {
  const onPath = new Set(pathEntries(os, env).map((entry) => (os === 'win32' ? entry.toLowerCase() : entry)));
  const keep = (folders: (string | undefined)[]) =>
    folders.filter((folder): folder is string => folder !== undefined && onPath.has(os === 'win32' ? folder.toLowerCase() : folder));
  if (os === 'win32') {
    const home = env.USERPROFILE ?? '';
    const local = env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local');
    return {
      onPath: keep([home ? win32.join(home, '.local', 'bin') : undefined, win32.join(local, 'Microsoft', 'WindowsApps')]),
      fallback: win32.join(local, 'Stacktray', 'bin'),
    };
  }
  const home = env.HOME ?? '';
  const userFolders = home ? [posix.join(home, '.local', 'bin'), posix.join(home, 'bin')] : [];
  return {
    onPath: keep([...userFolders, '/usr/local/bin', '/opt/homebrew/bin']),
    fallback: home ? posix.join(home, '.local', 'bin') : '/usr/local/bin',
  };
}

export async function installCommandLineTool(platform: ShellPlatform, env: NodeJS.ProcessEnv, dataDir: string): Promise<CliInstallResult> {
  const { os } = platform;
  const windows = os === 'win32';
  const path = windows ? win32 : posix;
  const folders = installFolders(os, env);
  let folder: string | undefined;
  for (const candidate of folders.onPath) {
    if (await platform.isWritableFolder(candidate)) {
      folder = candidate;
      break;
    }
  }
  const onPath = folder !== undefined;
  folder ??= folders.fallback;
  const target = path.join(folder, windows ? 'stacktray.cmd' : 'stacktray');

  const existing = await platform.fileKind(target);
  if (existing === 'other' || (existing === 'file' && !(windows && (await platform.readTextFile(target))?.includes(MARKER)))) {
    return {
      ok: false,
      message: `${target} already exists and is not Stacktray's`,
      detail: 'It may be a global npm install (npm install -g stacktray). Remove it and try again, or keep using that one.',
    };
  }
  try {
    if (windows) {
      await platform.writeExecutable(target, windowsShim(platform.commandLineEntry));
    } else {
      const launcher = path.join(dataDir, 'bin', 'stacktray');
      await platform.writeExecutable(launcher, unixLauncher(platform.commandLineEntry));
      await platform.linkFile(launcher, target);
    }
  } catch (error) {
    return { ok: false, message: `Could not install ${target}`, detail: error instanceof Error ? error.message : String(error) };
  }
  const tryIt = 'Open a new terminal and run `stacktray --help`; `stacktray mcp` serves AI assistants.';
  return {
    ok: true,
    message: `Installed the stacktray command: ${target}`,
    detail: onPath
      ? tryIt
      : `${folder} is not on your PATH yet: add it (${windows ? 'System Properties → Environment Variables → Path' : `export PATH="${folder}:$PATH" in your shell's profile`}). ${tryIt}`,
  };
}
