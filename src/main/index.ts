/** Electron entry: lifecycle only. The shell's logic lives in ./shell behind a ShellPlatform. */
import { app, dialog } from 'electron';
import { join, resolve } from 'node:path';
import { startCore } from './core/core';
import { SettingsFile } from './core/settings-file';
import { systemClock } from './shell/clock';
import { runDesktopShell } from './shell/desktop-shell';
import { createElectronPlatform } from './shell/electron/electron-platform';
import { findFreePort } from './shell/free-port';
import {
  recordingPlatform,
  TEST_ONLY_RECORDING_GLOBAL,
  testOnlyRecordingEnabled,
  type TestOnlyRecording,
} from './shell/test-only-recording-seam';

/** Must equal `appId` in electron-builder.yml: Windows attributes notifications to it. */
const APP_USER_MODEL_ID = 'dev.stacktray.app';

/** TEST ONLY (test/electron): read once, here; a packaged app never records (see the seam's module). */
const TEST_ONLY_RECORDING = testOnlyRecordingEnabled(process.env, app.isPackaged);

async function main(): Promise<void> {
  app.setAppUserModelId(APP_USER_MODEL_ID);
  // Chromium's --user-data-dir moves the data folder (a second profile, the smoke test's temporary
  // folder); applied here, before ready and before the single-instance lock, which lives in it.
  const userDataDir = app.commandLine.getSwitchValue('user-data-dir');
  if (userDataDir !== '') app.setPath('userData', resolve(userDataDir));
  // Electron's userData for "Stacktray" is the headless server's default data folder (core/paths.ts).
  const dataDir = app.getPath('userData');
  const electronPlatform = createElectronPlatform({ mainBundleDir: __dirname });
  let platform = electronPlatform;
  if (TEST_ONLY_RECORDING) {
    const recording: TestOnlyRecording = { notifications: [], tray: null };
    (globalThis as Record<string, unknown>)[TEST_ONLY_RECORDING_GLOBAL] = recording;
    platform = recordingPlatform(electronPlatform, recording);
  }
  const shell = await runDesktopShell({
    platform,
    startCore,
    findFreePort,
    savedSettings: new SettingsFile(dataDir).get(),
    dataDir,
    clock: systemClock,
    env: process.env,
    devRendererUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    // The core's default renderer folder is relative to its own chunk; the window's page is out/renderer.
    coreOptions: { logLevel: 'warn', rendererDir: join(__dirname, '..', 'renderer') },
  });
  if (shell !== null) console.log(`Stacktray ${app.getVersion()} listening on ${shell.core.url} (data: ${shell.core.dataDir})`);
}

main().catch((error: unknown) => {
  dialog.showErrorBox('Stacktray could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
  app.exit(1);
});
