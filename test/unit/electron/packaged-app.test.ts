/** Finding the packaged app the packaging workflow starts (scripts/packaged-app.mjs), on fake dist folders. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagedApp, packagedAppSettings } from '../../../scripts/packaged-app.mjs';

function dist(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacktray-dist-'));
  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
  return dir;
}

describe('the packaged app to start', () => {
  it('Linux: the AppImage, extracted and run (no FUSE on CI), so its own launcher runs', () => {
    const dir = dist(['Stacktray-0.1.0-x86_64.AppImage', 'stacktray_0.1.0_amd64.deb', 'linux-unpacked/stacktray']);
    expect(packagedApp('linux', dir)).toEqual({ command: join(dir, 'Stacktray-0.1.0-x86_64.AppImage'), env: { APPIMAGE_EXTRACT_AND_RUN: '1' } });
  });

  it('macOS: the executable inside the .app, for either arch folder', () => {
    const arm = dist(['mac-arm64/Stacktray.app/Contents/MacOS/Stacktray', 'Stacktray-0.1.0-arm64.dmg']);
    expect(packagedApp('darwin', arm)).toEqual({ command: join(arm, 'mac-arm64', 'Stacktray.app', 'Contents', 'MacOS', 'Stacktray'), env: {} });
    const intel = dist(['mac/Stacktray.app/Contents/MacOS/Stacktray']);
    expect(packagedApp('darwin', intel).command).toBe(join(intel, 'mac', 'Stacktray.app', 'Contents', 'MacOS', 'Stacktray'));
  });

  it('Windows: win-unpacked/Stacktray.exe', () => {
    const dir = dist(['win-unpacked/Stacktray.exe', 'Stacktray-Setup-0.1.0-x64.exe']);
    expect(packagedApp('win32', dir)).toEqual({ command: join(dir, 'win-unpacked', 'Stacktray.exe'), env: {} });
  });

  it('says what is missing', () => {
    const empty = dist([]);
    expect(() => packagedApp('linux', empty)).toThrow(`no .AppImage in ${empty}`);
    expect(() => packagedApp('darwin', empty)).toThrow(`no Stacktray.app in ${empty}/mac*`);
    expect(() => packagedApp('win32', empty)).toThrow(`${join(empty, 'win-unpacked', 'Stacktray.exe')} is missing`);
  });

  it('starts on the given port without the OTLP listener or a login item', () => {
    expect(packagedAppSettings(23456)).toEqual({ port: 23456, otlpPort: 0, desktop: { closeToTray: true, openAtLogin: false } });
  });
});
