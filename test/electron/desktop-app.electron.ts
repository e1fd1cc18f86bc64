/**
 * The desktop app launched for real: Electron starts the built main bundle (playwright-core's
 * `_electron`), in a temporary data folder on a port the OS picks. Run by `npm run test:electron`
 * (scripts/test-electron.mjs), which skips in one line where Electron's binary is missing. The tests
 * run in order against one app: first run, an event, its notification, the tray, a second launch, quit.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAUNCHED_FLAG } from '../../src/main/shell/v8-flags';
import type { Project } from '../../src/shared/project';
import { listIssues, sendStoreEvent, waitFor } from '../e2e/helpers/api';
import { MAIN_BUNDLE, prepareDataDir, PROJECT_ROOT, smokeLaunch, type SmokeLaunch } from './smoke-launch';

const executablePath = process.env.STACKTRAY_ELECTRON_EXECUTABLE ?? '';
if (executablePath === '') throw new Error('STACKTRAY_ELECTRON_EXECUTABLE is not set: run this through `npm run test:electron`');

/** What the seam (src/main/shell/test-only-recording-seam.ts) recorded, as plain data. */
interface Recorded {
  notifications: { title: string; body: string }[];
  tray: { tooltip: string; menu: string[] } | null;
}

let dataDir: string;
let launch: SmokeLaunch;
let app: ElectronApplication;
let window: Page;
let coreUrl: string;
let issueId: number;

/** Polls `read` until `done` holds (the app works on its own event loop). */
function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  return waitFor(what, async () => {
    const value = await read();
    return done(value) ? { value } : null;
  }, 20_000).then(({ value }) => value);
}

function recorded(): Promise<Recorded> {
  return app.evaluate(() => {
    const recording = (globalThis as Record<string, unknown>).__stacktrayTestOnlyRecording as
      | { notifications: { title: string; body: string }[]; tray: Recorded['tray'] }
      | undefined;
    if (recording === undefined) throw new Error('the test-only recording seam is off');
    return { notifications: recording.notifications.map(({ title, body }) => ({ title, body })), tray: recording.tray };
  });
}

function windowShown(): Promise<boolean> {
  return app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible() ?? false);
}

function hideWindow(): Promise<void> {
  return app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.hide());
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stacktray-electron-'));
  prepareDataDir(dataDir);
  launch = smokeLaunch({ executablePath, dataDir, env: process.env });
  app = await electron.launch({ ...launch, timeout: 60_000 });
  app.process().stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[electron] ${chunk.toString()}`));
  window = await app.firstWindow();
});

afterAll(async () => {
  if (app !== undefined && app.process().exitCode === null) await app.close();
});

describe('the desktop app under Electron', () => {
  it('starts once (no V8-flags relaunch unpackaged), on out/main/index.js, in the given data folder', async () => {
    const facts = await app.evaluate(({ app: electronApp }) => ({
      pid: process.pid,
      argv: process.argv,
      isPackaged: electronApp.isPackaged,
      userData: electronApp.getPath('userData'),
      name: electronApp.getName(),
      appPath: electronApp.getAppPath(),
    }));
    expect(facts.pid).toBe(app.process().pid);
    expect(facts.argv).not.toContain(RELAUNCHED_FLAG);
    expect(facts.isPackaged).toBe(false);
    expect(facts.userData).toBe(dataDir);
    expect(facts.name).toBe('Stacktray');
    // `electron <project folder>` runs package.json's main: out/main/index.js.
    expect(facts.appPath).toBe(PROJECT_ROOT);
    expect(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).main).toBe(relative(PROJECT_ROOT, MAIN_BUNDLE).split(sep).join('/'));
  });

  it('the window loads the UI from the core and shows the first-run screen', async () => {
    await window.getByText('Waiting for your first error…').waitFor();
    coreUrl = new URL(window.url()).origin;
    expect(coreUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(window.locator('h1').first().textContent()).resolves.toBe('Connect your app');
    const info = (await (await fetch(`${coreUrl}/api/info`)).json()) as { dataDir: string };
    expect(info.dataDir).toBe(dataDir);
    // Shown on ready-to-show, which the main process handles on its own schedule.
    await until(windowShown, (shown) => shown, 'the window to be shown');
  });

  it('an event sent to the DSN appears in the window and raises one notification, whose click opens the issue', async () => {
    const { projects } = (await (await fetch(`${coreUrl}/api/projects`)).json()) as { projects: Project[] };
    const project = projects[0];
    if (project === undefined) throw new Error('no project');
    await sendStoreEvent(project.dsn, {
      event_id: 'e1ec7c0ffee0e1ec7c0ffee0e1ec7c0f',
      timestamp: Date.now() / 1000,
      platform: 'javascript',
      level: 'error',
      exception: { values: [{ type: 'SmokeError', value: 'sent to the desktop app', stacktrace: { frames: [{ filename: 'smoke.js', function: 'launch', lineno: 3, in_app: true }] } }] },
    });
    await window.locator('li.row a.title', { hasText: 'SmokeError' }).waitFor();

    const { notifications } = await until(recorded, (seen) => seen.notifications.length > 0, 'the notification');
    expect(notifications).toEqual([{ title: 'SmokeError: sent to the desktop app', body: 'New issue in default · 1 event' }]);

    issueId = (await listIssues(coreUrl)).issues[0]?.id ?? 0;
    expect(issueId).toBeGreaterThan(0);
    await hideWindow();
    expect(await windowShown()).toBe(false);
    await app.evaluate(() => {
      const recording = (globalThis as Record<string, unknown>).__stacktrayTestOnlyRecording as { notifications: { click(): void }[] };
      recording.notifications[0]?.click();
    });
    await until(windowShown, (shown) => shown, 'the window to come forward');
    await window.waitForURL(new RegExp(`#/issues/${issueId}$`));
    await window.locator('[data-testid="exception"] .type', { hasText: 'SmokeError' }).waitFor();
  });

  it('the tray exists and counts the unresolved issue', async () => {
    const { tray } = await until(recorded, (seen) => seen.tray?.tooltip.includes('1 unresolved issue') === true, 'the tray count');
    expect(tray?.tooltip).toBe('Stacktray — 1 unresolved issue');
    expect(tray?.menu.slice(0, 2)).toEqual(['1 unresolved issue', 'Open Stacktray']);
  });

  it('a second launch exits at once and brings the first one’s window forward', async () => {
    await hideWindow();
    const second = spawn(launch.executablePath, launch.args, { env: launch.env, stdio: 'ignore' });
    const exitCode = await new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    expect(exitCode).toBe(0);
    await until(windowShown, (shown) => shown, 'the first window to come forward');
    expect(await app.evaluate(() => process.pid)).toBe(app.process().pid);
  });

  it('quitting stops the core and closes the database cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    // app.quit() goes through before-quit, where the shell stops the core before letting Electron exit.
    await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'stacktray.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'stacktray.db.open'))).toBe(false);
    expect(existsSync(join(dataDir, 'stacktray.db-wal'))).toBe(false);
    expect(existsSync(join(dataDir, 'stacktray.lock'))).toBe(false);
    const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { desktop: { window?: { width: number } } };
    expect(settings.desktop.window?.width).toBeGreaterThan(0);
  });
});
