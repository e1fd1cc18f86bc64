/**
 * The Electron adapter (src/main/shell/electron/) over a stand-in for the `electron` module, which this
 * machine cannot run: a closed window's methods are safe (real BrowserWindows throw "Object has been
 * destroyed"), session-end reaches the shell, login launches start hidden, the page's permissions.
 * The real Electron runs these paths in the smoke test (npm run test:electron).
 */
import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class StandInWindow {
    static created: StandInWindow[] = [];
    destroyed = false;
    visible = false;
    url = '';
    readonly listeners = new Map<string, Listener[]>();
    readonly webContents = {
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      isLoading: () => false,
      getURL: () => this.url,
      send: (...args: unknown[]) => {
        this.alive();
        this.sent.push(args);
      },
    };
    readonly sent: unknown[][] = [];
    constructor(readonly options: Record<string, unknown>) {
      StandInWindow.created.push(this);
    }
    private alive(): void {
      if (this.destroyed) throw new TypeError('Object has been destroyed');
    }
    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener): this {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]): void {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
    loadURL(url: string): Promise<void> {
      this.alive();
      this.url = url;
      return Promise.resolve();
    }
    show(): void {
      this.alive();
      this.visible = true;
    }
    hide(): void {
      this.alive();
      this.visible = false;
    }
    focus(): void {
      this.alive();
    }
    restore(): void {
      this.alive();
    }
    maximize(): void {
      this.alive();
    }
    isVisible(): boolean {
      this.alive();
      return this.visible;
    }
    isMinimized(): boolean {
      this.alive();
      return false;
    }
    isMaximized(): boolean {
      this.alive();
      return false;
    }
    getNormalBounds(): { x: number; y: number; width: number; height: number } {
      this.alive();
      return { x: 10, y: 20, width: 900, height: 700 };
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    destroy(): void {
      this.alive();
      this.destroyed = true;
    }
  }
  const session: { requestHandler: unknown; checkHandler: unknown } = { requestHandler: null, checkHandler: null };
  const module = {
    BrowserWindow: StandInWindow,
    shell: { openExternal: () => Promise.resolve() },
    app: {
      getAppPath: () => '/opt/Stacktray/resources/app.asar',
      getVersion: () => '1.2.3',
      isPackaged: true,
      commandLine: { getSwitchValue: () => '' },
      getLoginItemSettings: () => ({ wasOpenedAtLogin: false }),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => undefined },
        setPermissionRequestHandler: (handler: unknown) => (session.requestHandler = handler),
        setPermissionCheckHandler: (handler: unknown) => (session.checkHandler = handler),
      },
    },
  };
  return { module, StandInWindow, session };
});

vi.mock('electron', () => electron.module);

const { createElectronMainWindow } = await import('../../../src/main/shell/electron/main-window');
const { createElectronPlatform } = await import('../../../src/main/shell/electron/electron-platform');

function openWindow(overrides: { startHidden?: boolean; onSessionEnd?: () => void; onCloseRequested?: () => boolean } = {}) {
  const window = createElectronMainWindow({
    url: 'http://127.0.0.1:8969',
    allowedOrigins: ['http://127.0.0.1:8969'],
    bounds: { width: 900, height: 700 },
    maximized: false,
    startHidden: overrides.startHidden ?? false,
    onCloseRequested: overrides.onCloseRequested ?? (() => false),
    onSessionEnd: overrides.onSessionEnd ?? (() => undefined),
    preloadPath: '/out/preload/index.js',
    iconPath: '/resources/icon.png',
  });
  const standIn = electron.StandInWindow.created.at(-1);
  if (standIn === undefined) throw new Error('no BrowserWindow was created');
  return { window, standIn };
}

describe('the Electron main window', () => {
  it('a launch at login stays hidden when the page is ready; otherwise it shows', () => {
    const hidden = openWindow({ startHidden: true });
    hidden.standIn.emit('ready-to-show');
    expect(hidden.standIn.visible).toBe(false);
    const shown = openWindow({ startHidden: false });
    shown.standIn.emit('ready-to-show');
    expect(shown.standIn.visible).toBe(true);
  });

  it('hands Windows’ session-end to the shell', () => {
    let ended = 0;
    const { standIn } = openWindow({ onSessionEnd: () => (ended += 1) });
    standIn.emit('session-end', {});
    expect(ended).toBe(1);
  });

  it('does nothing, instead of throwing, once the window is gone; its placement is the one it closed with', () => {
    const { window, standIn } = openWindow();
    standIn.emit('close', { preventDefault: () => undefined });
    standIn.destroy();
    expect(() => {
      window.show();
      window.hide();
      window.openIssue(4);
      window.openRoute('#/issues');
      window.destroy();
    }).not.toThrow();
    expect(window.isVisible()).toBe(false);
    expect(window.state()).toEqual({ bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: false });
  });
});

describe('the Electron platform', () => {
  it('grants the app’s page clipboard writes and nothing else', () => {
    const platform = createElectronPlatform({ mainBundleDir: '/out/main' });
    platform.createMainWindow({
      url: 'http://127.0.0.1:8969',
      allowedOrigins: ['http://127.0.0.1:8969'],
      bounds: { width: 900, height: 700 },
      maximized: false,
      startHidden: false,
      onCloseRequested: () => false,
      onSessionEnd: () => undefined,
    });
    const request = electron.session.requestHandler as (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
    const check = electron.session.checkHandler as (contents: unknown, permission: string, origin: string) => boolean;
    const answers: boolean[] = [];
    request(null, 'clipboard-sanitized-write', (granted) => answers.push(granted), { requestingUrl: 'http://127.0.0.1:8969/#/issues/1' });
    request(null, 'clipboard-read', (granted) => answers.push(granted), { requestingUrl: 'http://127.0.0.1:8969/' });
    request(null, 'clipboard-sanitized-write', (granted) => answers.push(granted), { requestingUrl: 'https://example.com/' });
    expect(answers).toEqual([true, false, false]);
    expect([check(null, 'clipboard-sanitized-write', 'http://127.0.0.1:8969'), check(null, 'notifications', 'http://127.0.0.1:8969')]).toEqual([true, false]);
  });

  it('an AppImage (APPIMAGE / APPDIR set by its runtime) is not relaunched; elsewhere it may be', () => {
    const before = { APPIMAGE: process.env.APPIMAGE, APPDIR: process.env.APPDIR };
    const canRelaunch = (env: { APPIMAGE?: string; APPDIR?: string }): boolean => {
      delete process.env.APPIMAGE;
      delete process.env.APPDIR;
      Object.assign(process.env, env);
      return createElectronPlatform({ mainBundleDir: '/out/main' }).canRelaunch;
    };
    try {
      expect(canRelaunch({ APPIMAGE: '/home/me/Stacktray.AppImage', APPDIR: '/tmp/.mount_Stackt1' })).toBe(false);
      expect(canRelaunch({ APPDIR: '/tmp/appimage_extracted_1' })).toBe(false);
      expect(canRelaunch({})).toBe(true);
    } finally {
      delete process.env.APPIMAGE;
      delete process.env.APPDIR;
      for (const [name, value] of Object.entries(before)) if (value !== undefined) process.env[name] = value;
    }
  });
});
