/**
 * How the Electron smoke test starts the app: the launch arguments and environment, and the data
 * folder it starts in. Plain data, unit-tested in test/unit/electron/ (where no Electron runs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TEST_ONLY_RECORDING_ENV } from '../../src/main/shell/test-only-recording-seam';

export const PROJECT_ROOT = resolve(__dirname, '../..');
/** What the app runs: package.json's `main`. */
export const MAIN_BUNDLE = join(PROJECT_ROOT, 'out', 'main', 'index.js');

/**
 * Saved before the first launch: a free port chosen by the OS (never 8969), no OTLP listener (never
 * 4318), close-to-tray on (the tray checks need the app running with its window closed).
 */
export const SMOKE_SETTINGS = {
  port: 0,
  otlpPort: 0,
  desktop: { closeToTray: true, openAtLogin: false },
} as const;

/** Writes the settings the app reads at start-up into its (empty) data folder. */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'settings.json'), `${JSON.stringify(SMOKE_SETTINGS, null, 2)}\n`);
}

export interface SmokeLaunch {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

/** Variables that would change what is tested: Electron run as plain Node, a dev renderer, injected code. */
const DROPPED_ENV = ['ELECTRON_RUN_AS_NODE', 'ELECTRON_RENDERER_URL', 'NODE_OPTIONS', 'STACKTRAY_EDITOR'];

/**
 * `_electron.launch` options: the built main bundle, started as `electron <project folder>` so that
 * Electron reads package.json (name "Stacktray", `main` = out/main/index.js, resources/ beside it) as
 * it would a packaged app's; unpackaged, so `app.isPackaged` is false and the recording seam may
 * be on. Electron's userData (the app's data folder) is `dataDir`. A second launch uses the same
 * options: Electron's single-instance lock is per userData folder.
 */
export function smokeLaunch(options: { executablePath: string; dataDir: string; env: NodeJS.ProcessEnv }): SmokeLaunch {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env)) {
    if (value !== undefined && !DROPPED_ENV.includes(name)) env[name] = value;
  }
  env[TEST_ONLY_RECORDING_ENV] = '1';
  return {
    executablePath: options.executablePath,
    args: [PROJECT_ROOT, `--user-data-dir=${options.dataDir}`],
    env,
  };
}
