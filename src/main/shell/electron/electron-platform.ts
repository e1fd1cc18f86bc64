/** ShellPlatform over Electron: the only shell module (with its siblings here) that imports `electron`. */
import {
  app,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  screen,
  session,
  shell,
  Tray,
  type IpcMainInvokeEvent,
} from 'electron';
import { join } from 'node:path';
import { SHELL_CHANNELS } from '../../../shared/shell';
import type { MainWindow, ShellPlatform, ShellRequestHandlers } from '../platform';
import { CONTENT_SECURITY_POLICY } from '../../../shared/content-security-policy';
import { isTrustedSender, permissionGranted } from '../security';
import { RetainedNotifications } from '../retained-notifications';
import { trayVisible, watcherPresent } from '../tray-visibility';
import { openedByLoginItem, setOpenAtLogin } from './login-item';
import { createElectronMainWindow, preloadPath } from './main-window';
import { buildMenu } from './menu';
import { commandLineFiles } from '../command-line-files';

/** Notifications kept referenced until clicked (see RetainedNotifications); older ones are let go. */
const MAX_RETAINED_NOTIFICATIONS = 20;

export interface ElectronPlatformOptions {
  /** Folder of the main bundle (`out/main`), to find the preload beside it. */
  mainBundleDir: string;
}

export function createElectronPlatform(options: ElectronPlatformOptions): ShellPlatform {
  const resourcesDir = join(app.getAppPath(), 'resources').replace(`app.asar${pathSeparator()}`, `app.asar.unpacked${pathSeparator()}`);
  const notifications = new RetainedNotifications<Notification>(MAX_RETAINED_NOTIFICATIONS);
  let tray: Tray | null = null;
  let allowedOrigins: string[] = [];
  let mainWindow: MainWindow | null = null;

  return {
    os: process.platform,
    version: app.getVersion(),
    isPackaged: app.isPackaged,
    launchArgs: process.argv.slice(1),
    // The AppImage runtime sets APPIMAGE and APPDIR (mounted or extracted); that folder goes away under a relaunch.
    canRelaunch: process.env.APPIMAGE === undefined && process.env.APPDIR === undefined,
    openedAtLogin: openedByLoginItem,
    // Read before anything appends to Chromium's command line: this is what V8 started with.
    startupJsFlags: app.commandLine.getSwitchValue('js-flags'),
    resourcesDir,

    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    onSecondInstance: (listener) => void app.on('second-instance', () => listener()),
    onActivate: (listener) => void app.on('activate', () => listener()),
    onQuitRequested(listener) {
      let finished = false;
      app.on('before-quit', (event) => {
        if (finished) return;
        event.preventDefault();
        void listener()
          .catch((error: unknown) => console.error('Stacktray: error while stopping:', error))
          .finally(() => {
            finished = true;
            app.quit();
          });
      });
    },
    whenReady: () => app.whenReady(),
    quit: () => app.quit(),
    relaunch(args) {
      app.relaunch({ args });
      app.exit(0);
    },

    setOpenAtLogin,
    setBadgeCount: (count) => void app.setBadgeCount(count),
    setApplicationMenu(template) {
      if (process.platform === 'darwin') app.setAboutPanelOptions({ applicationName: 'Stacktray', applicationVersion: app.getVersion() });
      Menu.setApplicationMenu(buildMenu(template));
    },
    setTheme: (theme) => void (nativeTheme.themeSource = theme),

    isNotificationSupported: () => Notification.isSupported(),
    showNotification(spec, onClick, onAction) {
      const actions = (spec.actions ?? []).map((text) => ({ type: 'button' as const, text }));
      const notification = new Notification({ title: spec.title, body: spec.body, actions });
      // Not released on `close`: on Windows that fires when the toast moves to Action Center.
      notification.on('click', () => {
        notifications.release(notification);
        onClick();
      });
      notification.on('action', (_event, index) => {
        notifications.release(notification);
        onAction?.(index);
      });
      notifications.keep(notification);
      notification.show();
    },

    setTray(tooltip, menu) {
      if (tray === null) tray = createTray(resourcesDir, () => mainWindow?.show());
      tray.setToolTip(tooltip);
      tray.setContextMenu(buildMenu(menu));
    },
    async trayIsVisible() {
      if (process.platform !== 'linux') return true;
      return trayVisible({ os: process.platform, currentDesktop: process.env.XDG_CURRENT_DESKTOP, watcherPresent: await watcherPresent() });
    },

    createMainWindow(windowOptions) {
      allowedOrigins = windowOptions.allowedOrigins;
      applySessionPolicy(allowedOrigins);
      mainWindow = createElectronMainWindow({
        ...windowOptions,
        preloadPath: preloadPath(options.mainBundleDir),
        iconPath: join(resourcesDir, 'icon.png'),
      });
      return mainWindow;
    },
    displayWorkAreas: () => screen.getAllDisplays().map((display) => display.workArea),

    async showMessageBox(spec) {
      const result = await dialog.showMessageBox({ ...spec, noLink: true });
      return result.response;
    },
    writeClipboard: (text) => clipboard.writeText(text),
    openPath: (path) => shell.openPath(path),

    handleShellRequests(handlers) {
      registerShellRequests(handlers, () => allowedOrigins);
    },

    // The headless entry beside this bundle, run by this app's executable as Node (as VS Code's `code`).
    commandLineEntry: { executable: process.execPath, script: join(options.mainBundleDir, 'cli.js') },
    ...commandLineFiles,
  };
}

function createTray(resourcesDir: string, onClick: () => void): Tray {
  // macOS wants a black template image it recolours for light/dark menu bars; the others a coloured one.
  const icon =
    process.platform === 'darwin'
      ? nativeImage.createFromPath(join(resourcesDir, 'trayTemplate.png'))
      : nativeImage.createFromPath(join(resourcesDir, 'tray.png'));
  if (process.platform === 'darwin') icon.setTemplateImage(true);
  const tray = new Tray(icon);
  // Windows and most Linux trays open the app on a left click; the menu stays on the right click.
  if (process.platform !== 'darwin') tray.on('click', onClick);
  return tray;
}

/** CSP as a header on the app's own responses; no permission for the page but writing the clipboard. */
function applySessionPolicy(allowedOrigins: string[]): void {
  const appSession = session.defaultSession;
  appSession.webRequest.onHeadersReceived({ urls: allowedOrigins.map((origin) => `${origin}/*`) }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  appSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionGranted(permission, details.requestingUrl, allowedOrigins)),
  );
  appSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionGranted(permission, requestingOrigin, allowedOrigins));
}

function registerShellRequests(handlers: ShellRequestHandlers, allowedOrigins: () => string[]): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event.senderFrame?.url ?? '', allowedOrigins());
  ipcMain.handle(SHELL_CHANNELS.revealDataFolder, async (event) => {
    if (!trusted(event)) throw new Error('untrusted sender');
    await handlers.revealDataFolder();
  });
  ipcMain.handle(SHELL_CHANNELS.appVersion, async (event) => {
    if (!trusted(event)) throw new Error('untrusted sender');
    return handlers.appVersion();
  });
  ipcMain.handle(SHELL_CHANNELS.openInEditor, async (event, path: unknown, line: unknown, column: unknown) => {
    if (!trusted(event) || typeof path !== 'string') return false;
    return handlers.openInEditor(path, optionalNumber(line), optionalNumber(column));
  });
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function pathSeparator(): string {
  return process.platform === 'win32' ? '\\' : '/';
}
