/** Start-up, tray, window and quit of the real shell logic over the real core; Electron is the recording fake. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore } from '../../../src/main/core/core';
import { TRAY_REFRESH_MS } from '../../../src/main/shell/tray-controller';
import { RecordingPlatform } from './recording-platform';
import { launch, running, sendError, tempDataDir, waitUntil, type Launch } from './shell-harness';

const launched: Launch[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const one of launched.splice(0)) await one.shell?.shutdown();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(...args: Parameters<typeof launch>): Promise<Launch> {
  const one = await launch(...args);
  launched.push(one);
  return one;
}

async function occupyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}

describe('start-up', () => {
  it('a second launch quits at once without starting a core; the first instance comes forward', async () => {
    const first = await start();
    const { window } = running(first);
    window.requestClose();
    expect(window.current.visible).toBe(false);

    const secondPlatform = new RecordingPlatform();
    secondPlatform.singleInstance = false;
    const second = await start({ platform: secondPlatform, dataDir: tempDataDir() });
    expect(second.shell).toBeNull();
    expect(second.coreStarts).toHaveLength(0);
    expect(secondPlatform.quitCalls).toBe(1);
    expect(secondPlatform.windows).toHaveLength(0);

    // Electron tells the first instance about the second launch.
    first.platform.launchSecondInstance();
    expect(window.current.visible).toBe(true);
    expect(window.log.at(-1)).toBe('show');
  });

  it('opens the window on the core URL, restricted to its origin, with menus and settings applied', async () => {
    const app = await start({ settings: { theme: 'dark', desktop: { closeToTray: true, openAtLogin: true } } });
    const { core, window } = running(app);
    expect(core.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(window.options.url).toBe(core.url);
    expect(window.options.allowedOrigins).toEqual([core.url]);
    expect(app.platform.calls.filter((call) => call.startsWith('set'))).toEqual(['setOpenAtLogin true', 'setTheme dark']);
    expect(app.platform.applicationMenu?.map((item) => item.role ?? item.label)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);

    core.updateSettings({ theme: 'light' });
    expect(app.platform.theme).toBe('light');
  });

  it('in development loads the dev server page and lets it reach the core', async () => {
    const app = await start({ devRendererUrl: 'http://localhost:5173' });
    const { core, window } = running(app);
    expect(window.options.url).toBe('http://localhost:5173');
    expect(window.options.allowedOrigins).toEqual(['http://localhost:5173', core.url]);
  });

  it('when the port is taken, says so and starts on the free port the user accepts (and keeps it)', async () => {
    const taken = await occupyPort();
    const platform = new RecordingPlatform();
    platform.messageBoxAnswers.push(0);
    const app = await start({ platform, settings: { port: taken } });
    const { core, window } = running(app);

    expect(platform.messageBoxes).toHaveLength(1);
    const dialog = platform.messageBoxes[0];
    expect(dialog?.message).toBe(`Port ${taken} is already in use`);
    expect(dialog?.buttons).toEqual([`Use Port ${core.port}`, 'Quit']);
    expect(core.port).not.toBe(taken);
    expect(app.coreStarts.map((options) => options.port)).toEqual([taken, core.port]);
    expect(core.settings().port).toBe(core.port);
    expect(JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')).port).toBe(core.port);
    expect(window.options.url).toBe(`http://127.0.0.1:${core.port}`);
  });

  it('when the port is taken and the user chooses Quit, quits without a window', async () => {
    const taken = await occupyPort();
    const platform = new RecordingPlatform();
    platform.messageBoxAnswers.push(1);
    const app = await start({ platform, settings: { port: taken } });
    expect(app.shell).toBeNull();
    expect(platform.quitCalls).toBe(1);
    expect(platform.windows).toHaveLength(0);
  });

  it('explains that another process (e.g. the headless server) owns the data folder', async () => {
    const dataDir = tempDataDir();
    // The lock names its owner's pid; a live process other than this one must own it.
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(async () => void owner.kill());
    writeFileSync(join(dataDir, 'stacktray.lock'), String(owner.pid));
    const platform = new RecordingPlatform();
    platform.messageBoxAnswers.push(0);
    const app = await start({ platform, dataDir });
    expect(app.shell).toBeNull();
    expect(platform.messageBoxes.map((box) => [box.title, box.message, box.buttons])).toEqual([
      ['Stacktray is already running', 'Another Stacktray is using the data folder', ['Quit']],
    ]);
    expect(platform.messageBoxes[0]?.detail).toContain(`process ${owner.pid}`);
    expect(platform.quitCalls).toBe(1);
  });
});

describe('tray', () => {
  it('updates the tooltip, badge and recent issues from the live stream, once per burst', async () => {
    const app = await start();
    const { core } = running(app);
    expect(app.platform.tray?.tooltip).toBe('Stacktray — no unresolved issues');
    expect(app.platform.badgeCount).toBe(0);
    const updatesBefore = app.platform.trayUpdates;

    await sendError(core, 'TypeError', 'first');
    await sendError(core, 'RangeError', 'second');
    await waitUntil(() => app.clock.pendingTimers > 0 && core.unresolvedCount() === 2, 'the stream reported both issues');
    expect(app.platform.trayUpdates).toBe(updatesBefore);
    app.clock.advance(TRAY_REFRESH_MS);

    expect(app.platform.trayUpdates).toBe(updatesBefore + 1);
    expect(app.platform.tray?.tooltip).toBe('Stacktray — 2 unresolved issues');
    expect(app.platform.badgeCount).toBe(2);
    expect(app.platform.tray?.menu[0]?.label).toBe('2 unresolved issues');
    const recent = app.platform.trayItem('Recent issues').submenu?.map((item) => item.label);
    expect([...(recent ?? [])].sort()).toEqual(['RangeError: second (1)', 'TypeError: first (1)']);

    const rangeError = core.recentIssues(10).find((issue) => issue.title === 'RangeError: second');
    app.platform.clickTray('Recent issues', 'RangeError: second (1)');
    expect(running(app).window.current).toEqual({ route: `#/issues/${rangeError?.id}`, visible: true });
  });

  it('copies a project DSN, toggles start at login and quits', async () => {
    const app = await start();
    const { core } = running(app);
    const project = core.listProjects()[0];
    app.platform.clickTray('Copy DSN', project?.name ?? '');
    expect(app.platform.clipboard).toEqual([project?.dsn]);
    expect(project?.dsn).toContain(`@127.0.0.1:${core.port}/`);

    app.platform.clickTray('Start at login');
    expect(app.platform.openAtLogin).toBe(true);
    expect(core.settings().desktop.openAtLogin).toBe(true);
    expect(app.platform.trayItem('Start at login').checked).toBe(true);

    app.platform.clickTray('Quit Stacktray');
    expect(app.platform.quitCalls).toBe(1);
  });
});

describe('window and quit', () => {
  it('saves the window placement on quit and restores it next launch', async () => {
    const dataDir = tempDataDir();
    const first = await launch({ dataDir });
    running(first).window.place({ bounds: { x: 300, y: 120, width: 1000, height: 700 }, maximized: true });
    await first.platform.requestQuit();

    // Electron closes the window after the core has stopped: the data folder is no longer ours to write.
    running(first).window.place({ bounds: { x: 0, y: 0, width: 700, height: 500 }, maximized: false });
    expect(running(first).window.requestClose()).toBe(false);

    const second = await start({ dataDir });
    expect(running(second).window.options.bounds).toEqual({ x: 300, y: 120, width: 1000, height: 700 });
    expect(running(second).window.options.maximized).toBe(true);
  });

  it('closing keeps running in the tray; with close-to-tray off it quits; quitting stops the core', async () => {
    const dataDir = tempDataDir();
    const app = await launch({ dataDir });
    const { core, window } = running(app);
    expect(window.requestClose()).toBe(true);
    expect(window.current.visible).toBe(false);
    expect((await fetch(`${core.url}/api/projects`)).status).toBe(200);
    expect(app.platform.quitCalls).toBe(0);

    app.platform.clickDockIcon();
    expect(window.current.visible).toBe(true);

    core.updateSettings({ desktop: { ...core.settings().desktop, closeToTray: false } });
    expect(window.requestClose()).toBe(false);
    expect(app.platform.quitCalls).toBe(1);

    // Electron's before-quit: the shell stops the core, which frees the port and the data folder.
    await app.platform.requestQuit();
    await expect(fetch(`${core.url}/api/projects`)).rejects.toThrow();
    const again = await startCore({ dataDir, port: 0, otlpPort: null, logLevel: 'silent', rendererDir: join(__dirname, '../../../out/renderer') });
    expect(existsSync(join(dataDir, 'stacktray.db'))).toBe(true);
    await again.stop();
  });

  it('Help has the data folder and About with the version', async () => {
    const app = await start();
    const { core } = running(app);
    const help = app.platform.applicationMenu?.find((item) => item.role === 'help');
    help?.submenu?.find((item) => item.label === 'Open Data Folder')?.click?.();
    expect(app.platform.openedPaths).toEqual([core.dataDir]);

    app.platform.messageBoxAnswers.push(0);
    help?.submenu?.find((item) => item.label === 'About Stacktray')?.click?.();
    expect(app.platform.messageBoxes.map((box) => box.message)).toEqual(['Stacktray 9.8.7']);
    expect(app.platform.messageBoxes[0]?.detail).toContain(`Server: ${core.url}`);
  });

  it('on macOS puts About in the app menu', async () => {
    const app = await start({ platform: new RecordingPlatform('darwin') });
    expect(app.platform.applicationMenu?.map((item) => item.role ?? item.label)).toEqual(['appMenu', 'editMenu', 'View', 'windowMenu', 'help']);
  });
});
