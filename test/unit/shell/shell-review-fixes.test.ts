/** Fixes from the review of the desktop shell, over the real core; Electron is the recording fake. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appMenu } from '../../../src/main/shell/app-menu';
import type { MenuItemSpec } from '../../../src/main/shell/platform';
import { RetainedNotifications } from '../../../src/main/shell/retained-notifications';
import { permissionGranted } from '../../../src/main/shell/security';
import { isGnome, parseNameHasOwner, trayVisible, watcherPresent } from '../../../src/main/shell/tray-visibility';
import { RecordingPlatform } from './recording-platform';
import { launchPerTest, running, sendError, waitUntil } from './shell-harness';

const start = launchPerTest();

describe('Windows session end (no before-quit follows)', () => {
  it('saves the window placement and closes the database cleanly before it returns', async () => {
    const app = await start();
    const { core, window } = running(app);
    await sendError(core, 'TypeError', 'stored before the session ended');
    window.place({ bounds: { x: 40, y: 50, width: 1000, height: 700 }, maximized: false });

    window.endSession();
    // Synchronously: the OS may end the process as soon as the event handler returns.
    expect(existsSync(join(app.dataDir, 'stacktray.db.open'))).toBe(false);
    expect(existsSync(join(app.dataDir, 'stacktray.db-wal'))).toBe(false);
    expect(existsSync(join(app.dataDir, 'stacktray.lock'))).toBe(false);
    const saved = JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { desktop: { window: unknown } };
    expect(saved.desktop.window).toEqual({ x: 40, y: 50, width: 1000, height: 700, maximized: false });

    // A quit that still arrives (or the harness's shutdown) finds everything closed and does not fail.
    await app.platform.requestQuit();
  });
});

describe('a desktop without a visible tray (GNOME without AppIndicator)', () => {
  it('closing the window quits instead of hiding it where it could not be found again', async () => {
    const platform = new RecordingPlatform();
    platform.trayShown = false;
    const app = await start({ platform, settings: { desktop: { closeToTray: true, openAtLogin: false } } });
    const { window } = running(app);
    expect(window.requestClose()).toBe(false);
    expect(platform.quitCalls).toBe(1);
  });

  it('a launch at login shows the window instead of starting in an invisible tray', async () => {
    const platform = new RecordingPlatform();
    platform.trayShown = false;
    platform.launchArgs = ['--hidden'];
    const app = await start({ platform });
    expect(running(app).window.options.startHidden).toBe(false);

    const withTray = new RecordingPlatform();
    withTray.launchArgs = ['--hidden'];
    const hidden = await start({ platform: withTray });
    expect(running(hidden).window.current.visible).toBe(false);
  });

  it('is told by the session bus, as gdbus or dbus-send print it, or by the desktop when the bus cannot answer', () => {
    expect(parseNameHasOwner('(true,)\n')).toBe(true);
    expect(parseNameHasOwner('(false,)\n')).toBe(false);
    expect(parseNameHasOwner('method return time=1.2 sender=org.freedesktop.DBus -> destination=:1.9 serial=3 reply_serial=2\n   boolean true\n')).toBe(true);
    expect(parseNameHasOwner('Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown')).toBeNull();

    expect(isGnome('ubuntu:GNOME')).toBe(true);
    expect(isGnome('GNOME-Classic:GNOME')).toBe(true);
    expect(isGnome('KDE')).toBe(false);
    expect(trayVisible({ os: 'linux', currentDesktop: 'ubuntu:GNOME', watcherPresent: true })).toBe(true);
    expect(trayVisible({ os: 'linux', currentDesktop: 'GNOME', watcherPresent: false })).toBe(false);
    expect(trayVisible({ os: 'linux', currentDesktop: 'GNOME', watcherPresent: null })).toBe(false);
    // XFCE, MATE… keep an XEmbed tray Electron falls back to.
    expect(trayVisible({ os: 'linux', currentDesktop: 'XFCE', watcherPresent: false })).toBe(true);
    expect(trayVisible({ os: 'darwin', currentDesktop: undefined, watcherPresent: null })).toBe(true);
    expect(trayVisible({ os: 'win32', currentDesktop: undefined, watcherPresent: null })).toBe(true);
  });

  it('asks gdbus, then dbus-send when gdbus is missing or fails, for the StatusNotifierWatcher', async () => {
    const asked: string[] = [];
    const answers: Record<string, string | null> = { gdbus: null, 'dbus-send': '   boolean false\n' };
    const present = await watcherPresent(async (command, args) => {
      asked.push(`${command} ${args.join(' ')}`);
      return answers[command] ?? null;
    });
    expect(present).toBe(false);
    expect(asked).toEqual([
      'gdbus call --session --timeout 2 --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner org.kde.StatusNotifierWatcher',
      'dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.kde.StatusNotifierWatcher',
    ]);
    expect(await watcherPresent(async (command) => (command === 'gdbus' ? '(true,)' : null))).toBe(true);
    expect(await watcherPresent(async () => null)).toBeNull();
  });

  it.skipIf(process.platform === 'win32')('runs the real client programs it finds on PATH', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'stacktray-dbus-'));
    writeFileSync(join(bin, 'gdbus'), '#!/bin/sh\necho "(true,)"\n');
    chmodSync(join(bin, 'gdbus'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      expect(await watcherPresent()).toBe(true);
    } finally {
      process.env.PATH = path;
    }
    const empty = mkdtempSync(join(tmpdir(), 'stacktray-nodbus-'));
    process.env.PATH = empty;
    try {
      expect(await watcherPresent()).toBeNull();
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('notifications stay clickable from Action Center', () => {
  it('are kept until clicked, not dropped when their toast closes; the oldest go beyond the limit', () => {
    const kept = new RetainedNotifications<string>(3);
    for (const id of ['a', 'b', 'c']) kept.keep(id);
    expect(kept.size).toBe(3);
    kept.release('b');
    expect([kept.has('a'), kept.has('b'), kept.has('c')]).toEqual([true, false, true]);
    kept.keep('d');
    kept.keep('e');
    expect(['a', 'c', 'd', 'e'].map((id) => kept.has(id))).toEqual([false, true, true, true]);
    expect(kept.size).toBe(3);
  });

  it('a click on an old notification still opens its issue', async () => {
    const app = await start();
    const { core, window } = running(app);
    await sendError(core, 'RangeError', 'first');
    await waitUntil(() => app.platform.notifications.length === 1, 'the first notification');
    window.requestClose();
    app.platform.notifications[0]?.click();
    expect(window.current.visible).toBe(true);
    expect(window.current.route).toMatch(/^#\/issues\/\d+$/);
  });
});

describe('the page’s permissions', () => {
  const origins = ['http://127.0.0.1:8969'];

  it('grant writing the clipboard to the app’s own page, and nothing else to anyone', () => {
    expect(permissionGranted('clipboard-sanitized-write', 'http://127.0.0.1:8969/#/issues/4', origins)).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', 'http://127.0.0.1:8969', origins)).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', 'https://example.com/', origins)).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', 'http://127.0.0.1:9999/', origins)).toBe(false);
    for (const permission of ['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'fileSystem']) {
      expect(permissionGranted(permission, 'http://127.0.0.1:8969/', origins)).toBe(false);
    }
  });
});

describe('the application menu', () => {
  const actions = { showAbout: () => undefined, openDataFolder: () => undefined, installCommandLineTool: () => undefined };
  const viewRoles = (menu: MenuItemSpec[]): (string | undefined)[] =>
    menu.find((item) => item.label === 'View')?.submenu?.map((item) => item.role ?? item.type) ?? [];

  it('has Toggle Developer Tools in development builds only', () => {
    for (const os of ['linux', 'win32', 'darwin'] as const) {
      expect(viewRoles(appMenu(os, false, actions))).toEqual([
        'reload', 'forceReload', 'toggleDevTools', 'separator', 'resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen',
      ]);
      expect(viewRoles(appMenu(os, true, actions))).toEqual([
        'reload', 'forceReload', 'separator', 'resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen',
      ]);
    }
  });

  it('a packaged app sets the menu without it', async () => {
    const platform = new RecordingPlatform();
    platform.isPackaged = true;
    platform.canRelaunch = false;
    await start({ platform });
    expect(JSON.stringify(platform.applicationMenu)).not.toContain('toggleDevTools');
  });
});
