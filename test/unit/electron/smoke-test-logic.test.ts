/** The Electron smoke test's own logic, where no Electron runs: its launch, its data folder, its skip. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsFile } from '../../../src/main/core/settings-file';
import { TEST_ONLY_RECORDING_ENV } from '../../../src/main/shell/test-only-recording-seam';
import { MAIN_BUNDLE, prepareDataDir, PROJECT_ROOT, smokeLaunch } from '../../electron/smoke-launch';

const root = resolve(__dirname, '../../..');

describe('the smoke test’s launch', () => {
  it('starts the project folder (main: out/main/index.js) with the data folder as userData and the recording seam on', () => {
    const env = { PATH: '/usr/bin', DISPLAY: ':99', ELECTRON_RUN_AS_NODE: '1', ELECTRON_RENDERER_URL: 'http://localhost:5173', NODE_OPTIONS: '--require x', STACKTRAY_EDITOR: 'code' };
    const launch = smokeLaunch({ executablePath: '/opt/electron/electron', dataDir: '/tmp/smoke-data', env });
    expect(launch).toEqual({
      executablePath: '/opt/electron/electron',
      args: [root, '--user-data-dir=/tmp/smoke-data'],
      env: { PATH: '/usr/bin', DISPLAY: ':99', [TEST_ONLY_RECORDING_ENV]: '1' },
    });
    // The caller's environment is left as it was.
    expect(env.ELECTRON_RUN_AS_NODE).toBe('1');
    expect(PROJECT_ROOT).toBe(root);
    expect(MAIN_BUNDLE).toBe(join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main as string));
  });

  it('starts the app on a port the OS picks and without the OTLP listener, closing to the tray', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'stacktray-smoke-')), 'data');
    prepareDataDir(dataDir);
    const settings = new SettingsFile(dataDir).get();
    expect([settings.port, settings.otlpPort, settings.desktop.closeToTray, settings.desktop.openAtLogin]).toEqual([0, 0, true, false]);
  });
});

describe('npm run test:electron', () => {
  const script = join(root, 'scripts', 'test-electron.mjs');
  const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

  it('where Electron’s binary is missing, skips with one line and exits 0', () => {
    const empty = mkdtempSync(join(tmpdir(), 'electron-none-'));
    const skipped = run({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect([skipped.status, skipped.stderr]).toEqual([0, '']);
    const lines = skipped.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(`test:electron: skipped: ELECTRON_OVERRIDE_DIST_PATH points at ${empty}, which holds no Electron binary (${join(empty, electronPathTxt())} missing)`);
  });

  it('fails instead where the packaging workflow requires Electron', () => {
    const empty = mkdtempSync(join(tmpdir(), 'electron-none-'));
    const failed = run({ ELECTRON_OVERRIDE_DIST_PATH: empty, STACKTRAY_REQUIRE_ELECTRON: '1' });
    expect([failed.status, failed.stdout]).toEqual([1, '']);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(/^test:electron: failed: ELECTRON_OVERRIDE_DIST_PATH points at /);
  });

  it('finds the binary it will start (the override’s or the downloaded one)', async () => {
    const { electronExecutable, missingElectron } = await import('../../../scripts/electron-binary.mjs');
    const present = mkdtempSync(join(tmpdir(), 'electron-dist-'));
    const binary = join(present, electronPathTxt());
    mkdirSync(dirname(binary), { recursive: true });
    writeFileSync(binary, '');
    expect(electronExecutable({ ELECTRON_OVERRIDE_DIST_PATH: present })).toBe(binary);
    expect(missingElectron({ ELECTRON_OVERRIDE_DIST_PATH: present })).toBeNull();
  });

  it('is not part of npm test: the smoke test files are not *.test.ts', () => {
    const files = readdirSync(join(root, 'test', 'electron'));
    expect(files.filter((name) => name.endsWith('.electron.ts'))).toEqual(['desktop-app.electron.ts']);
    expect(files.filter((name) => name.endsWith('.test.ts'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['test:electron']).toBe('node scripts/test-electron.mjs');
    expect(manifest.scripts.test).not.toContain('electron');
  });
});

/** The executable's path inside Electron's dist folder (path.txt; "electron" where it was never downloaded). */
function electronPathTxt(): string {
  try {
    return readFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim();
  } catch {
    return 'electron';
  }
}
