/**
 * Help → "Install Command Line Tool…" in the real shell over the recording platform: a link in a
 * folder on PATH (macOS, Linux), a .cmd shim in a user folder on PATH (Windows), and what the user is told.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { unixLauncher, windowsShim } from '../../../src/main/shell/cli-install';
import { commandLineFiles } from '../../../src/main/shell/command-line-files';
import { assertBuilt, CLI } from '../../support/cli-process';
import { RecordingPlatform } from './recording-platform';
import { launchPerTest } from './shell-harness';

const launch = launchPerTest();

/** Clicks the menu item and waits for the dialog that reports the outcome. */
async function install(platform: RecordingPlatform) {
  platform.messageBoxAnswers.push(0);
  platform.clickMenu('Help', 'Install Command Line Tool…');
  await expect.poll(() => platform.messageBoxes.length).toBe(1);
  return platform.messageBoxes[0];
}

describe('Install Command Line Tool', () => {
  it('Linux: links ~/.local/bin/stacktray (on PATH, writable) to a launcher in the data folder', async () => {
    const platform = new RecordingPlatform('linux');
    platform.writableFolders.add('/home/jane/.local/bin');
    const env = { HOME: '/home/jane', PATH: '/usr/local/bin:/home/jane/.local/bin/:/usr/bin' };
    const { dataDir } = await launch({ platform, env });
    const box = await install(platform);
    const launcher = `${dataDir}/bin/stacktray`;
    expect(platform.files.get('/home/jane/.local/bin/stacktray')).toEqual({ kind: 'link', target: launcher });
    expect(platform.files.get(launcher)).toEqual({ kind: 'file', executable: true, text: unixLauncher(platform.commandLineEntry) });
    expect(unixLauncher({ executable: "/opt/it's/stacktray", script: '/opt/app/cli.js' }).split('\n')[2]).toBe(
      `ELECTRON_RUN_AS_NODE=1 exec '/opt/it'\\''s/stacktray' '/opt/app/cli.js' "$@"`,
    );
    expect(box).toMatchObject({
      type: 'info',
      message: 'Installed the stacktray command: /home/jane/.local/bin/stacktray',
      detail: 'Open a new terminal and run `stacktray --help`; `stacktray mcp` serves AI assistants.',
    });
  });

  it('macOS: uses /usr/local/bin when the user folders are not on PATH, and replaces its old link', async () => {
    const platform = new RecordingPlatform('darwin');
    platform.writableFolders.add('/usr/local/bin');
    platform.files.set('/usr/local/bin/stacktray', { kind: 'link', target: '/old/launcher' });
    const { dataDir } = await launch({ platform, env: { HOME: '/Users/jane', PATH: '/usr/bin:/bin:/usr/local/bin' } });
    const box = await install(platform);
    expect(platform.files.get('/usr/local/bin/stacktray')).toEqual({ kind: 'link', target: `${dataDir}/bin/stacktray` });
    expect(box?.message).toBe('Installed the stacktray command: /usr/local/bin/stacktray');
  });

  it('no writable folder on PATH: installs in ~/.local/bin and says how to put it on PATH', async () => {
    const platform = new RecordingPlatform('linux');
    await launch({ platform, env: { HOME: '/home/jane', PATH: '/usr/bin:/usr/local/bin' } });
    const box = await install(platform);
    expect(platform.files.get('/home/jane/.local/bin/stacktray')?.kind).toBe('link');
    expect(box?.detail).toContain('/home/jane/.local/bin is not on your PATH yet: add it (export PATH="/home/jane/.local/bin:$PATH" in your shell\'s profile).');
  });

  it('never replaces a stacktray that is not its own (e.g. a global npm install)', async () => {
    const platform = new RecordingPlatform('linux');
    platform.writableFolders.add('/usr/local/bin');
    platform.files.set('/usr/local/bin/stacktray', { kind: 'file', text: '#!/usr/bin/env node\nrequire("stacktray")' });
    await launch({ platform, env: { HOME: '/home/jane', PATH: '/usr/local/bin' } });
    const box = await install(platform);
    expect(platform.files.get('/usr/local/bin/stacktray')?.text).toBe('#!/usr/bin/env node\nrequire("stacktray")');
    expect(box).toMatchObject({ type: 'warning', message: '/usr/local/bin/stacktray already exists and is not Stacktray\'s' });
  });

  it('Windows: writes stacktray.cmd into a user folder on Path (WindowsApps), and rewrites its own shim', async () => {
    const platform = new RecordingPlatform('win32');
    const windowsApps = 'C:\\Users\\jane\\AppData\\Local\\Microsoft\\WindowsApps';
    platform.writableFolders.add(windowsApps);
    platform.files.set(`${windowsApps}\\stacktray.cmd`, { kind: 'file', text: windowsShim({ executable: 'C:\\old.exe', script: 'C:\\old.js' }) });
    const env = { USERPROFILE: 'C:\\Users\\jane', LOCALAPPDATA: 'C:\\Users\\jane\\AppData\\Local', Path: `C:\\Windows\\system32;${windowsApps}` };
    await launch({ platform, env });
    const box = await install(platform);
    const shim = platform.files.get(`${windowsApps}\\stacktray.cmd`);
    expect(shim?.text).toBe(windowsShim(platform.commandLineEntry));
    expect(windowsShim({ executable: 'C:\\Program Files\\Stacktray\\Stacktray.exe', script: 'C:\\100%\\cli.js' }).split('\r\n')).toEqual([
      '@echo off',
      "rem Stacktray's command-line tool, written by the app's \"Install Command Line Tool\".",
      'setlocal',
      'set ELECTRON_RUN_AS_NODE=1',
      '"C:\\Program Files\\Stacktray\\Stacktray.exe" "C:\\100%%\\cli.js" %*',
      '',
    ]);
    expect(box?.message).toBe(`Installed the stacktray command: ${windowsApps}\\stacktray.cmd`);
  });
});

describe.skipIf(process.platform === 'win32')('the installed link on a real file system', () => {
  it('runs the built CLI through the link and the launcher (Node standing in for the app executable)', async () => {
    assertBuilt();
    const root = mkdtempSync(join(tmpdir(), 'stacktray-cli-install-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    const launcher = join(root, 'data', 'bin', 'stacktray');
    await commandLineFiles.writeExecutable(launcher, unixLauncher({ executable: process.execPath, script: CLI }));
    await commandLineFiles.linkFile(launcher, join(bin, 'stacktray'));
    await commandLineFiles.linkFile(launcher, join(bin, 'stacktray'));
    expect(await commandLineFiles.fileKind(join(bin, 'stacktray'))).toBe('link');
    expect(await commandLineFiles.isWritableFolder(bin)).toBe(true);
    const { stdout } = await promisify(execFile)(join(bin, 'stacktray'), ['tail', '--help']);
    expect(stdout.split('\n')[0]).toBe('Usage: stacktray tail [--project <id|name>] [--level <level>] [--format <format>]');
  }, 20_000);
});
