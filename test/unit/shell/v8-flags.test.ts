/** The main process's V8 flags: the headless server's list, a one-time relaunch to get them, login launches. */
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../../scripts/bench/server-flags.mjs';
import { autostartEntry, LOGIN_ARGS } from '../../../src/main/shell/autostart-entry';
import { MAIN_PROCESS_V8_FLAGS, missingV8Flags, RELAUNCHED_FLAG, relaunchArgsForV8Flags } from '../../../src/main/shell/v8-flags';

describe('main-process V8 flags', () => {
  it('are the headless server’s own list', () => {
    expect(MAIN_PROCESS_V8_FLAGS).toBe(SERVER_NODE_FLAGS);
    expect(MAIN_PROCESS_V8_FLAGS).toContain('--max-semi-space-size=4');
  });

  it('count as present when started with them, in either spelling or with the user’s own value', () => {
    expect(missingV8Flags('')).toEqual(['--max-semi-space-size=4']);
    expect(missingV8Flags('--expose-gc')).toEqual(['--max-semi-space-size=4']);
    expect(missingV8Flags('--max-semi-space-size=4')).toEqual([]);
    expect(missingV8Flags('--expose-gc  --max_semi_space_size=8')).toEqual([]);
  });
});

describe('relaunch for the V8 flags', () => {
  const packaged = { isPackaged: true, canRelaunch: true, launchArgs: ['--hidden'], startupJsFlags: '' };

  it('a packaged app started without them starts once more with them, keeping its arguments', () => {
    expect(relaunchArgsForV8Flags(packaged)).toEqual(['--js-flags=--max-semi-space-size=4', RELAUNCHED_FLAG, '--hidden']);
  });

  it('keeps V8 flags the user passed, in the one --js-flags switch', () => {
    const facts = { isPackaged: true, canRelaunch: true, launchArgs: ['--js-flags=--expose-gc', 'file.txt'], startupJsFlags: '--expose-gc' };
    expect(relaunchArgsForV8Flags(facts)).toEqual(['--js-flags=--expose-gc --max-semi-space-size=4', RELAUNCHED_FLAG, 'file.txt']);
  });

  it('carries on when the flags are there, after the one relaunch, and in development', () => {
    expect(relaunchArgsForV8Flags({ ...packaged, startupJsFlags: '--max-semi-space-size=4' })).toBeNull();
    // Had the switch not reached V8's view of the command line, a second relaunch would loop.
    expect(relaunchArgsForV8Flags({ ...packaged, launchArgs: [RELAUNCHED_FLAG, '--js-flags=--max-semi-space-size=4'] })).toBeNull();
    expect(relaunchArgsForV8Flags({ ...packaged, isPackaged: false })).toBeNull();
  });

  it('an AppImage is not relaunched: it carries on without the flags', () => {
    expect(relaunchArgsForV8Flags({ ...packaged, canRelaunch: false })).toBeNull();
  });
});

describe('start at login', () => {
  it('starts hidden and with the V8 flags, so no relaunch is needed', () => {
    expect(LOGIN_ARGS).toEqual(['--hidden', '--js-flags=--max-semi-space-size=4']);
  });

  it('writes a freedesktop autostart entry with every argument quoted', () => {
    expect(autostartEntry('/opt/Stacktray/stacktray').split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=Stacktray',
      'Comment=Local error tracker',
      'Exec="/opt/Stacktray/stacktray" "--hidden" "--js-flags=--max-semi-space-size=4"',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
  });

  it('escapes what the Exec key would otherwise read as quoting, variables or field codes', () => {
    const exec = autostartEntry('/home/a "b"/100%/$HOME/x\\y.AppImage')
      .split('\n')
      .find((line) => line.startsWith('Exec='));
    // Quote rule: \" \$ \\ inside the quotes; string rule: each backslash doubled; % doubled.
    expect(exec?.split(' "--hidden"')[0]).toBe('Exec="/home/a \\\\"b\\\\"/100%%/\\\\$HOME/x\\\\\\\\y.AppImage"');
  });
});
