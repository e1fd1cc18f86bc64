/**
 * The built main bundle (out/main/index.js) started under a recording stand-in for the `electron`
 * module, as far as it gets before Electron is ready: a packaged app started without the headless
 * server's V8 flags relaunches itself with them and exits before anything else happens.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/bench/server-flags.mjs';
import { ensureBuilt, mainBundle } from './built-bundles';

beforeAll(ensureBuilt, 150_000);

interface Recorded {
  calls: string[];
  relaunches: unknown[];
  errors: string[];
  /** Resolves at app.exit(), or when the bundle asks Electron for `whenReady` (start-up goes on). */
  settled: Promise<string>;
}

/** Loads the main bundle with `electron` replaced; everything else it requires is real. */
/** `ready`: Electron becomes ready (the shell goes on past `whenReady`); otherwise start-up waits there. */
function startMainBundle(options: { isPackaged: boolean; jsFlags: string; singleInstance?: boolean; ready?: boolean; userDataDir?: string }): Recorded {
  const calls: string[] = [];
  const relaunches: unknown[] = [];
  const errors: string[] = [];
  let settle: (how: string) => void = () => undefined;
  const settled = new Promise<string>((resolve) => (settle = resolve));
  let userData: string | undefined;
  const electron = {
    app: {
      isPackaged: options.isPackaged,
      commandLine: {
        getSwitchValue: (name: string) => {
          calls.push(`commandLine.getSwitchValue ${name}`);
          if (name === 'user-data-dir') return options.userDataDir ?? '';
          return name === 'js-flags' ? options.jsFlags : '';
        },
      },
      setAppUserModelId: (id: string) => calls.push(`setAppUserModelId ${id}`),
      getPath: (name: string) => {
        calls.push(`getPath ${name}`);
        return userData ?? mkdtempSync(join(tmpdir(), 'stacktray-userdata-'));
      },
      setPath: (name: string, path: string) => {
        calls.push(`setPath ${name} ${path}`);
        if (name === 'userData') userData = path;
      },
      getAppPath: () => '/opt/Stacktray/resources/app.asar',
      getVersion: () => '0.1.0',
      getLoginItemSettings: () => ({ wasOpenedAtLogin: false }),
      requestSingleInstanceLock: () => {
        calls.push('requestSingleInstanceLock');
        return options.singleInstance ?? true;
      },
      relaunch: (relaunchOptions: unknown) => {
        calls.push('relaunch');
        relaunches.push(relaunchOptions);
      },
      exit: (code: number) => {
        calls.push(`exit ${code}`);
        settle('exit');
      },
      quit: () => {
        calls.push('quit');
        settle('quit');
      },
      whenReady: () => {
        calls.push('whenReady');
        if (options.ready === true) return Promise.resolve();
        settle('whenReady');
        return new Promise<void>(() => undefined);
      },
    },
    dialog: { showErrorBox: (title: string, content: string) => errors.push(`${title}: ${content}`) },
  };
  const realRequire = createRequire(mainBundle);
  const bundleRequire = (id: string): unknown => (id === 'electron' ? electron : realRequire(id));
  const module = { exports: {} };
  const run = runInThisContext(Module.wrap(readFileSync(mainBundle, 'utf8')), { filename: mainBundle }) as (...args: unknown[]) => void;
  run(module.exports, bundleRequire, module, mainBundle, dirname(mainBundle));
  return { calls, relaunches, errors, settled };
}

describe('main bundle start-up', () => {
  it('a packaged app without the server’s V8 flags relaunches with them once ready, and exits before anything else', async () => {
    const started = startMainBundle({ isPackaged: true, jsFlags: '', ready: true });
    expect(await started.settled).toBe('exit');
    expect(started.errors).toEqual([]);
    expect(started.calls).toEqual([
      'setAppUserModelId dev.stacktray.app',
      'commandLine.getSwitchValue user-data-dir',
      'getPath userData',
      'commandLine.getSwitchValue js-flags',
      'requestSingleInstanceLock',
      'whenReady',
      'relaunch',
      'exit 0',
    ]);
    expect(started.relaunches).toEqual([{ args: [`--js-flags=${SERVER_NODE_FLAGS.join(' ')}`, '--stacktray-relaunched', ...process.argv.slice(1)] }]);
  });

  it('started with them (or in development) it goes on to wait for Electron to be ready', async () => {
    for (const options of [
      { isPackaged: true, jsFlags: SERVER_NODE_FLAGS.join(' ') },
      { isPackaged: false, jsFlags: '' },
    ]) {
      const started = startMainBundle(options);
      expect(await started.settled).toBe('whenReady');
      expect(started.errors).toEqual([]);
      expect(started.calls.slice(-2)).toEqual(['requestSingleInstanceLock', 'whenReady']);
      expect(started.relaunches).toEqual([]);
    }
  });

  it('--user-data-dir moves the data folder before anything reads it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'stacktray-moved-'));
    const started = startMainBundle({ isPackaged: false, jsFlags: '', userDataDir: folder });
    expect(await started.settled).toBe('whenReady');
    expect(started.calls.slice(0, 4)).toEqual([
      'setAppUserModelId dev.stacktray.app',
      'commandLine.getSwitchValue user-data-dir',
      `setPath userData ${folder}`,
      'getPath userData',
    ]);
    expect(started.calls.indexOf('requestSingleInstanceLock')).toBeGreaterThan(2);
  });

  it('a second instance quits without relaunching', async () => {
    const started = startMainBundle({ isPackaged: true, jsFlags: '', singleInstance: false });
    expect(await started.settled).toBe('quit');
    expect(started.calls.slice(-2)).toEqual(['requestSingleInstanceLock', 'quit']);
    expect(started.relaunches).toEqual([]);
  });
});
