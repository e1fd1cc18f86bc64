/** A packaged app's one relaunch to give the main process the headless server's V8 flags. */
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../../scripts/bench/server-flags.mjs';
import { RELAUNCHED_FLAG } from '../../../src/main/shell/v8-flags';
import { RecordingPlatform } from './recording-platform';
import { launchPerTest } from './shell-harness';

const start = launchPerTest();

describe('relaunch for the V8 flags', () => {
  it('a packaged app started without the server’s V8 flags relaunches with them before starting anything', async () => {
    const platform = new RecordingPlatform();
    platform.isPackaged = true;
    platform.launchArgs = ['--hidden'];
    const relaunching = await start({ platform });
    expect(relaunching.shell).toBeNull();
    expect(relaunching.coreStarts).toHaveLength(0);
    // After ready (macOS tells a login launch only then), before anything is started.
    expect(platform.calls).toEqual(['requestSingleInstanceLock', 'whenReady', 'relaunch']);
    expect(platform.relaunches).toEqual([[`--js-flags=${SERVER_NODE_FLAGS.join(' ')}`, RELAUNCHED_FLAG, '--hidden']]);
    expect(platform.windows).toHaveLength(0);

    // The relaunched process has them and starts normally.
    const relaunched = new RecordingPlatform();
    relaunched.isPackaged = true;
    relaunched.launchArgs = platform.relaunches[0] ?? [];
    relaunched.startupJsFlags = SERVER_NODE_FLAGS.join(' ');
    const app = await start({ platform: relaunched });
    expect(app.coreStarts).toHaveLength(1);
    expect(relaunched.relaunches).toEqual([]);
    expect(relaunched.windows).toHaveLength(1);
  });

  it('a second launch of a packaged app quits without relaunching', async () => {
    const platform = new RecordingPlatform();
    platform.isPackaged = true;
    platform.singleInstance = false;
    const second = await start({ platform });
    expect(second.shell).toBeNull();
    expect(platform.calls).toEqual(['requestSingleInstanceLock', 'quit']);
  });

  it('a macOS login launch (no arguments) relaunches with --hidden, and the relaunched app starts in the tray', async () => {
    const platform = new RecordingPlatform('darwin');
    platform.isPackaged = true;
    platform.startedByLoginItem = true;
    const relaunching = await start({ platform });
    expect(relaunching.shell).toBeNull();
    expect(platform.relaunches).toEqual([[`--js-flags=${SERVER_NODE_FLAGS.join(' ')}`, RELAUNCHED_FLAG, '--hidden']]);

    const relaunched = new RecordingPlatform('darwin');
    relaunched.isPackaged = true;
    relaunched.launchArgs = platform.relaunches[0] ?? [];
    relaunched.startupJsFlags = SERVER_NODE_FLAGS.join(' ');
    const app = await start({ platform: relaunched });
    expect(relaunched.windows[0]?.options.startHidden).toBe(true);
    expect(relaunched.windows[0]?.current.visible).toBe(false);
    expect(app.shell).not.toBeNull();
  });

  it('an AppImage is not relaunched (its mount goes away under the relauncher): it starts without the flags', async () => {
    const platform = new RecordingPlatform();
    platform.isPackaged = true;
    platform.canRelaunch = false;
    const app = await start({ platform });
    expect(platform.relaunches).toEqual([]);
    expect(app.coreStarts).toHaveLength(1);
    expect(platform.windows[0]?.options.startHidden).toBe(false);
  });

});
