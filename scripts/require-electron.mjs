#!/usr/bin/env node
// `npm run dev` and `npm run dist` need Electron's binary, which `npm ci` does not download here
// (package.json "allowScripts" keeps electron's install script off). Without it, stop with one line
// that says what is missing and how to get it, instead of a stack trace from deep inside the tooling.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function missingElectron() {
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return 'the electron package is not installed (node_modules/electron missing): run `npm ci`';
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) {
    const binary = join(override, executable ?? 'electron');
    return existsSync(binary) ? null : `ELECTRON_OVERRIDE_DIST_PATH points at ${override}, which holds no Electron binary (${binary} missing)`;
  }
  if (executable === null || !existsSync(join(electronDir, 'dist', executable))) {
    const version = readVersion(electronDir);
    return (
      "Electron's binary is not installed (node_modules/electron/dist missing): run `node node_modules/electron/install.js` " +
      `with network access to github.com/electron/electron/releases (it downloads Electron ${version}), ` +
      `or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${version}`
    );
  }
  return null;
}

function readVersion(electronDir) {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return '';
  }
}

const problem = missingElectron();
if (problem !== null) {
  console.error(`stacktray: ${problem}`);
  process.exit(1);
}
