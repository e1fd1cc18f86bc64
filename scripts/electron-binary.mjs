// Whether Electron's binary is installed. `npm ci` does not download it here (package.json
// "allowScripts" keeps electron's install script off), so the commands that need it (`npm run dev`,
// `npm run dist`, `npm run test:electron`) ask this first and say in one line what is missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** node_modules/electron, or null when the package is not installed. */
export function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The executable to start: ELECTRON_OVERRIDE_DIST_PATH's, else the downloaded one (what
 * `require('electron')` returns). Null when neither exists; `missingElectron` says why.
 */
export function electronExecutable(env = process.env, electronDir = electronPackageDir()) {
  if (electronDir === null) return null;
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, executable ?? 'electron') : executable === null ? null : join(electronDir, 'dist', executable);
  return binary !== null && existsSync(binary) ? binary : null;
}

/** One line naming what is missing and how to get it, or null when Electron can be started. */
export function missingElectron(env = process.env, electronDir = electronPackageDir()) {
  if (electronDir === null) return 'the electron package is not installed (node_modules/electron missing): run `npm ci`';
  if (electronExecutable(env, electronDir) !== null) return null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const pathFile = join(electronDir, 'path.txt');
    const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
    return `ELECTRON_OVERRIDE_DIST_PATH points at ${override}, which holds no Electron binary (${join(override, executable)} missing)`;
  }
  const version = readVersion(electronDir);
  return (
    "Electron's binary is not installed (node_modules/electron/dist missing): run `node node_modules/electron/install.js` " +
    `with network access to github.com/electron/electron/releases (it downloads Electron ${version}), ` +
    `or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${version}`
  );
}

function readVersion(electronDir) {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return '';
  }
}
