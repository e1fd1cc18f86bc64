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
    expect(platform.calls).toEqual(['requestSingleInstanceLock', 'relaunch']);
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

});
