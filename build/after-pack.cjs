/**
 * electron-builder afterPack hook: puts a better-sqlite3 binary built for Electron into the packaged app.
 *
 * `npmRebuild` is off in electron-builder.yml because its rebuild recompiles node_modules/better-sqlite3
 * in place for Electron's ABI, after which plain Node (tests, the headless server) can no longer load it.
 * Instead this hook copies better-sqlite3 into a staging folder, rebuilds that copy for the Electron
 * version and arch being packaged (@electron/rebuild: a prebuilt binary when one exists, else node-gyp),
 * and replaces the binary in the package's app.asar.unpacked. The project's node_modules is never touched.
 * Native modules cannot be cross-compiled: package each OS on that OS (see .github/workflows/package.yml).
 */
const { cpSync, existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync } = require('node:fs');
const { join } = require('node:path');

const MODULE = 'better-sqlite3';
const BINARY = join('build', 'Release', 'better_sqlite3.node');
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** Where the packaged app keeps the unpacked copy of the module. */
function packagedModuleDir(resourcesDir) {
  return join(resourcesDir, 'app.asar.unpacked', 'node_modules', MODULE);
}

/** A throwaway project holding only better-sqlite3, so rebuilding it cannot affect node_modules. */
function stageModule(projectDir, stageDir) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(join(stageDir, 'node_modules'), { recursive: true });
  const source = join(projectDir, 'node_modules', MODULE);
  const { version } = require(join(source, 'package.json'));
  cpSync(source, join(stageDir, 'node_modules', MODULE), { recursive: true });
  writeFileSync(join(stageDir, 'package.json'), JSON.stringify({ name: 'stacktray-native-stage', private: true, dependencies: { [MODULE]: version } }));
  return join(stageDir, 'node_modules', MODULE);
}

async function afterPack(context) {
  const projectDir = context.packager.projectDir;
  const arch = ARCH_NAMES[context.arch];
  if (arch === undefined || arch === 'universal') throw new Error(`after-pack: cannot build ${MODULE} for arch ${context.arch}; package one arch at a time`);
  const electronVersion = context.packager.config.electronVersion ?? require(join(projectDir, 'node_modules', 'electron', 'package.json')).version;
  const target = packagedModuleDir(context.packager.getResourcesDir(context.appOutDir));
  if (!existsSync(target)) throw new Error(`after-pack: ${target} is missing; is ${MODULE} still unpacked (asarUnpack)?`);

  // Inside node_modules/.cache so @electron/rebuild finds prebuild-install and node-gyp by walking up.
  const stageDir = join(projectDir, 'node_modules', '.cache', 'stacktray-native', `${context.electronPlatformName}-${arch}`);
  const staged = stageModule(projectDir, stageDir);
  const { rebuild } = require('@electron/rebuild');
  console.log(`  • after-pack: rebuilding ${MODULE} for Electron ${electronVersion} (${context.electronPlatformName}-${arch}) in ${stageDir}`);
  await rebuild({ buildPath: stageDir, electronVersion, arch, onlyModules: [MODULE], force: true });
  mkdirSync(join(target, 'build', 'Release'), { recursive: true });
  copyFileSync(join(staged, BINARY), join(target, BINARY));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.packagedModuleDir = packagedModuleDir;
module.exports.stageModule = stageModule;
