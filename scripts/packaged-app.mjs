// Where electron-builder put the packaged app's executable, and how to start it headless enough for
// scripts/check-packaged-app.mjs (the packaging workflow's last step). Plain data, unit-tested.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The command that starts the packaged app in `distDir` on `os`:
 * - Linux: the AppImage itself, extracted and run (APPIMAGE_EXTRACT_AND_RUN, no FUSE needed on CI), so
 *   its AppRun launcher and its sandbox handling are what runs;
 * - macOS: the executable inside dist/mac*\/Stacktray.app;
 * - Windows: dist/win-unpacked/Stacktray.exe (what the nsis installer installs).
 * Throws, naming what is missing, when the package is not there.
 */
export function packagedApp(os, distDir, productName = 'Stacktray') {
  const entries = existsSync(distDir) ? readdirSync(distDir) : [];
  if (os === 'linux') {
    const appImage = entries.find((name) => name.endsWith('.AppImage'));
    if (appImage === undefined) throw new Error(`no .AppImage in ${distDir}`);
    return { command: join(distDir, appImage), env: { APPIMAGE_EXTRACT_AND_RUN: '1' } };
  }
  if (os === 'darwin') {
    for (const folder of entries.filter((name) => /^mac(-[a-z0-9]+)?$/.test(name)).sort()) {
      const executable = join(distDir, folder, `${productName}.app`, 'Contents', 'MacOS', productName);
      if (existsSync(executable)) return { command: executable, env: {} };
    }
    throw new Error(`no ${productName}.app in ${distDir}/mac*`);
  }
  if (os === 'win32') {
    const executable = join(distDir, 'win-unpacked', `${productName}.exe`);
    if (!existsSync(executable)) throw new Error(`${executable} is missing`);
    return { command: executable, env: {} };
  }
  throw new Error(`no packaged app for ${os}`);
}

/** The packaged app's settings: the given port, no OTLP listener, no login item. */
export function packagedAppSettings(port) {
  return { port, otlpPort: 0, desktop: { closeToTray: true, openAtLogin: false } };
}
