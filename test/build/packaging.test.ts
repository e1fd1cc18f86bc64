/** Packaging configuration, icons and the Electron-binary guard (packaging itself runs in CI per OS). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const require = createRequire(__filename);

interface BuilderConfig {
  appId: string;
  npmRebuild: boolean;
  afterPack: string;
  asarUnpack: string[];
  mac: { target: string[]; icon: string; identity?: string | null; hardenedRuntime: boolean; entitlements: string };
  win: { target: string[]; icon: string };
  linux: { target: string[]; icon: string };
  appImage: { executableArgs?: string[] };
  electronFuses?: Record<string, boolean>;
}

async function loadBuilderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(projectDir: string, configPath: string, options: null): Promise<unknown>;
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  // electron-builder's own schema check, the one `electron-builder` runs before packaging.
  await validateConfiguration(config, new DebugLogger(false));
  return config as BuilderConfig;
}

function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it('is valid and packages AppImage + deb, dmg and nsis with the icons in build/', async () => {
    const config = await loadBuilderConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect([config.mac.icon, config.win.icon, config.linux.icon]).toEqual(['build/icon.icns', 'build/icon.ico', 'build/icons']);
  });

  it('never rebuilds node_modules in place: better-sqlite3 is rebuilt for Electron by the afterPack hook', async () => {
    const config = await loadBuilderConfig();
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    const hook = require(join(root, config.afterPack)) as { default: unknown; packagedModuleDir(resourcesDir: string): string };
    expect(typeof hook.default).toBe('function');
    expect(hook.packagedModuleDir('/opt/Stacktray/resources')).toBe('/opt/Stacktray/resources/app.asar.unpacked/node_modules/better-sqlite3');
  });

  it('stages a copy of better-sqlite3 for the rebuild, leaving node_modules alone', () => {
    const hook = require(join(root, 'build', 'after-pack.cjs')) as { stageModule(projectDir: string, stageDir: string): string };
    const stageDir = mkdtempSync(join(tmpdir(), 'stacktray-stage-'));
    const staged = hook.stageModule(root, stageDir);
    expect(staged).toBe(join(stageDir, 'node_modules', 'better-sqlite3'));
    const version = (JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
    expect(JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8'))).toMatchObject({ dependencies: { 'better-sqlite3': version } });
    expect(readFileSync(join(staged, 'binding.gyp')).equals(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'binding.gyp')))).toBe(true);
  });

  it('signs the macOS app ad-hoc (an unsigned arm64 app is "damaged"), with the entitlement ad-hoc + hardened runtime needs', async () => {
    const config = await loadBuilderConfig();
    expect(config.mac.identity).toBe('-');
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(root, config.mac.entitlements), 'utf8');
    expect(entitlements).toMatch(/<key>com\.apple\.security\.cs\.disable-library-validation<\/key>\s*<true\/>/);
  });

  it('flips the fuses that turn a shipped app into a Node or a debug target', async () => {
    const config = await loadBuilderConfig();
    expect(config.electronFuses).toEqual({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
  });

  it('lets the AppImage launcher drop the sandbox only where user namespaces are unavailable (Ubuntu 24.04+)', async () => {
    const config = await loadBuilderConfig();
    // No forced --no-sandbox in the desktop entry (electron-builder's default for the legacy AppImage toolset).
    expect(config.appImage.executableArgs).toEqual([]);
    // The AppRun electron-builder writes adds --no-sandbox only when `unshare -Ur true` fails.
    const { generateAppRunScript } = require('app-builder-lib/out/targets/appimage/appImageUtil') as {
      generateAppRunScript(config: { ExecutableName: string }): string;
    };
    const appRun = generateAppRunScript({ ExecutableName: 'stacktray' });
    expect(appRun).toContain('if [ $HAVE_NO_SANDBOX -eq 0 ] && ! unshare -Ur true 2>/dev/null ; then\n  NO_SANDBOX=(--no-sandbox)\nfi');
  });

  it('declares @electron/rebuild, which the afterPack hook requires', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies['@electron/rebuild']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(root, 'build', 'after-pack.cjs'), 'utf8')).toContain("require('@electron/rebuild')");
  });

  it('uses the appId as the Windows AppUserModelID the main process sets', async () => {
    const config = await loadBuilderConfig();
    expect(readFileSync(join(root, 'src', 'main', 'index.ts'), 'utf8')).toContain(`const APP_USER_MODEL_ID = '${config.appId}';`);
  });
});

describe('icons', () => {
  it('has a 1024 px app icon and every Linux size', () => {
    expect(pngSize(join(root, 'build', 'icon.png'))).toEqual([1024, 1024]);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(join(root, 'build', 'icons', `${size}x${size}.png`))).toEqual([size, size]);
    }
  });

  it('has an .ico with 16–256 px and an .icns up to 1024 px', () => {
    const ico = readFileSync(join(root, 'build', 'icon.ico'));
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
    expect(widths).toEqual([16, 24, 32, 48, 64, 128, 256]);

    const icns = readFileSync(join(root, 'build', 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) types.push(icns.subarray(offset, offset + 4).toString('latin1'));
    expect(types).toEqual(expect.arrayContaining(['is32', 'il32', 'it32', 'ic08', 'ic09', 'ic10']));
  });

  it('has tray icons at 1x and 2x, with a macOS template', () => {
    for (const name of ['tray', 'trayTemplate']) {
      expect(pngSize(join(root, 'resources', `${name}.png`))).toEqual([16, 16]);
      expect(pngSize(join(root, 'resources', `${name}@2x.png`))).toEqual([32, 32]);
    }
    expect(pngSize(join(root, 'resources', 'icon.png'))).toEqual([512, 512]);
  });
});

describe('scripts/require-electron.mjs', () => {
  const script = join(root, 'scripts', 'require-electron.mjs');
  const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

  it('passes when Electron’s binary is there, and stops with one line when it is not', () => {
    const present = mkdtempSync(join(tmpdir(), 'electron-dist-'));
    const executable = (() => {
      try {
        return readFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim();
      } catch {
        return 'electron';
      }
    })();
    // On macOS the executable sits inside Electron.app/Contents/MacOS.
    mkdirSync(dirname(join(present, executable)), { recursive: true });
    writeFileSync(join(present, executable), '');
    const ok = run({ ELECTRON_OVERRIDE_DIST_PATH: present });
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, '', '']);

    const empty = mkdtempSync(join(tmpdir(), 'electron-none-'));
    const missing = run({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(`ELECTRON_OVERRIDE_DIST_PATH points at ${empty}`);
  });

  it('on this checkout reports exactly what is missing (or passes where Electron was downloaded)', () => {
    const result = run({});
    const installed = (() => {
      try {
        const executable = readFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim();
        return existsSync(join(root, 'node_modules', 'electron', 'dist', executable));
      } catch {
        return false;
      }
    })();
    if (installed) {
      expect(result.status).toBe(0);
      return;
    }
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^stacktray: Electron's binary is not installed \(node_modules\/electron\/dist missing\): run `node node_modules\/electron\/install\.js`/);
  });
});

describe('.github/workflows/package.yml', () => {
  interface Step {
    name?: string;
    if?: string;
    run?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
  }
  const workflow = (require('js-yaml') as { load(text: string): unknown }).load(
    readFileSync(join(root, '.github', 'workflows', 'package.yml'), 'utf8'),
  ) as { jobs: { package: { strategy: { matrix: { include: { os: string }[] } }; steps: Step[] } } };
  const job = workflow.jobs.package;
  const index = (match: (step: Step) => boolean): number => job.steps.findIndex(match);

  it('runs on ubuntu, macos and windows with a current Node LTS', () => {
    expect(job.strategy.matrix.include.map((entry) => entry.os)).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(26);
  });

  it('runs the smoke test (under xvfb on Linux, failing without Electron) after the download, then packages, then starts the packaged app', () => {
    const download = index((step) => step.run === 'node node_modules/electron/install.js');
    const smoke = job.steps.map((step, i) => [step, i] as const).filter(([step]) => step.run?.includes('npm run test:electron'));
    expect(smoke.map(([step]) => [step.if, step.run, step.env?.STACKTRAY_REQUIRE_ELECTRON])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run -a npm run test:electron', '1'],
      ["runner.os != 'Linux'", 'npm run test:electron', '1'],
    ]);
    const pack = index((step) => step.run?.startsWith('npm run dist') === true);
    const packaged = job.steps.map((step, i) => [step, i] as const).filter(([step]) => step.run?.includes('node scripts/check-packaged-app.mjs'));
    expect(packaged.map(([step]) => step.if)).toEqual(["runner.os == 'Linux'", "runner.os != 'Linux'"]);
    expect(download).toBeGreaterThan(0);
    for (const [, i] of smoke) expect([download < i, i < pack]).toEqual([true, true]);
    for (const [, i] of packaged) expect(i).toBeGreaterThan(pack);
  });
});
