/** The main BrowserWindow, locked down as Electron's security checklist asks. */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { SHELL_CHANNELS } from '../../../shared/shell';
import type { MainWindow, MainWindowOptions, WindowState } from '../platform';
import { navigationDecision } from '../security';
import { MIN_WINDOW_SIZE } from '../window-bounds';

export interface ElectronWindowOptions extends MainWindowOptions {
  preloadPath: string;
  iconPath: string;
}

export function createElectronMainWindow(options: ElectronWindowOptions): MainWindow {
  const window = new BrowserWindow({
    ...options.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Stacktray',
    icon: options.iconPath,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  restrictNavigation(window.webContents, options.allowedOrigins);
  window.once('ready-to-show', () => {
    if (options.maximized) window.maximize();
    if (!options.startHidden) window.show();
  });
  // Placement as it was when the window went away: state() is asked again when quitting.
  let lastState: WindowState = { bounds: window.getNormalBounds(), maximized: false };
  window.on('close', (event) => {
    lastState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    if (options.onCloseRequested()) event.preventDefault();
  });
  // Windows only: shutdown, restart or log off; no before-quit follows (see MainWindowOptions).
  window.on('session-end', () => options.onSessionEnd());
  void window.loadURL(options.url);
  // The window may be gone (closed without close-to-tray) while the tray, a notification or a second
  // launch still asks for it: every call does nothing then instead of throwing "Object has been destroyed".
  const alive = (): boolean => !window.isDestroyed();

  const appUrl = (hashRoute: string): string => `${new URL(options.url).origin}/${hashRoute}`;
  const pageIsReady = (): boolean =>
    !window.webContents.isLoading() && navigationDecision(window.webContents.getURL(), options.allowedOrigins) === 'allow';

  return {
    show() {
      if (!alive()) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    hide() {
      if (alive()) window.hide();
    },
    isVisible: () => alive() && window.isVisible(),
    openIssue(issueId) {
      if (!alive()) return;
      // The preload forwards this to the page (or sets the hash itself); before the page is up, load the route.
      if (pageIsReady()) window.webContents.send(SHELL_CHANNELS.openIssue, issueId);
      else void window.loadURL(appUrl(`#/issues/${issueId}`));
    },
    openRoute(hashRoute) {
      if (alive()) void window.loadURL(appUrl(hashRoute));
    },
    state() {
      if (alive()) lastState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
      return lastState;
    },
    destroy() {
      if (alive()) window.destroy();
    },
  };
}

export function preloadPath(mainBundleDir: string): string {
  return join(mainBundleDir, '..', 'preload', 'index.js');
}

function restrictNavigation(contents: WebContents, allowedOrigins: string[]): void {
  const guard = (event: { preventDefault(): void }, url: string): void => {
    const decision = navigationDecision(url, allowedOrigins);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') void shell.openExternal(url);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (navigationDecision(url, allowedOrigins) !== 'deny') void shell.openExternal(url);
    return { action: 'deny' };
  });
}
