/**
 * The desktop app's lifecycle over a ShellPlatform: single instance, core start-up (with the port
 * dialog), window, tray, notifications, menus, quit. Electron itself stays behind the platform.
 */
import type { Core, CoreOptions } from '../core/core-types';
import type { Settings } from '../../shared/settings';
import { aboutText, appMenu } from './app-menu';
import { installCommandLineTool } from './cli-install';
import type { ShellClock } from './clock';
import { DesktopNotifier } from './desktop-notifier';
import { ONE_HOUR_MS, pausedFor, pausedUntilResumed, resumed } from './pause';
import type { MainWindow, ShellPlatform } from './platform';
import { shellRequestHandlers } from './shell-requests';
import { startCoreInteractively } from './start-core';
import { TrayController } from './tray-controller';
import type { TrayActions } from './tray-menu';
import { HIDDEN_FLAG } from './autostart-entry';
import { relaunchArgsForV8Flags } from './v8-flags';
import { initialPlacement, savedWindow } from './window-bounds';

export interface DesktopShellDeps {
  platform: ShellPlatform;
  startCore: (options: CoreOptions) => Promise<Core>;
  findFreePort: (from: number) => Promise<number>;
  /** The settings saved in the data folder, read before the core starts (for its port). */
  savedSettings: Settings;
  dataDir: string;
  clock: ShellClock;
  env: NodeJS.ProcessEnv;
  /** `electron-vite dev` serves the renderer with hot reload from here; otherwise the core serves it. */
  devRendererUrl?: string;
  /** Core options the host adds (e.g. the renderer folder of a packaged app, log level). */
  coreOptions: Partial<CoreOptions> & Pick<CoreOptions, 'rendererDir'>;
}

export interface DesktopShell {
  readonly core: Core;
  readonly window: MainWindow;
  readonly tray: TrayController;
  /** Opens the window on an issue, as a notification click or the tray does. */
  openIssue(issueId: number): void;
  /** Saves the window placement, stops the tray and the core. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Runs the shell; null when this launch ends at once (second instance, a relaunch with the main
 * process's V8 flags, or the core could not start).
 */
export async function runDesktopShell(deps: DesktopShellDeps): Promise<DesktopShell | null> {
  const { platform, clock } = deps;
  if (!platform.requestSingleInstanceLock()) {
    // The first instance gets `second-instance` and comes forward; this one just leaves.
    platform.quit();
    return null;
  }
  // macOS says whether the login item started us only once the app is ready.
  await platform.whenReady();
  const launchArgs = withLoginLaunchFlag(platform);
  // Before anything is started: the new process takes over the single-instance lock as this one exits.
  const relaunchArgs = relaunchArgsForV8Flags({
    isPackaged: platform.isPackaged,
    canRelaunch: platform.canRelaunch,
    startupJsFlags: platform.startupJsFlags,
    launchArgs,
  });
  if (relaunchArgs !== null) {
    platform.relaunch(relaunchArgs);
    return null;
  }
  // Without a visible tray icon a window hidden "to the tray" could never be brought back. (Asked of
  // the session bus on Linux: meanwhile the core starts.)
  const trayVisibility = platform.trayIsVisible();

  let core: Core | null = null;
  let window: MainWindow | null = null;
  const notifier = new DesktopNotifier({
    platform,
    settings: () => core?.settings(),
    now: () => clock.now(),
    open: (target) => ('issueId' in target ? openIssue(target.issueId) : showRoute(target.hashRoute)),
    editorTarget: (alert) => (alert.issueId === undefined ? null : (core?.topInAppFrame(alert.issueId) ?? null)),
    openInEditor: (request) => void core?.openInEditor(request),
  });

  core = await startCoreInteractively(
    { platform, startCore: deps.startCore, findFreePort: deps.findFreePort },
    { ...deps.coreOptions, dataDir: deps.dataDir, port: deps.savedSettings.port, notifier },
  );
  if (core === null) {
    platform.quit();
    return null;
  }
  const running: Core = core;

  let quitting = false;
  const updateNotifications = (change: (n: Settings['notifications']) => Settings['notifications']): void => {
    running.updateSettings({ notifications: change(running.settings().notifications) });
    tray.refresh();
  };
  // Settings that live outside the app (login item, native theme) are applied at start and on change,
  // whether the change came from the tray or from the renderer's settings page.
  let applied: { openAtLogin: boolean; theme: Settings['theme'] } | null = null;
  const applySystemSettings = (current: Settings): void => {
    if (applied?.openAtLogin !== current.desktop.openAtLogin) platform.setOpenAtLogin(current.desktop.openAtLogin);
    if (applied?.theme !== current.theme) platform.setTheme(current.theme);
    applied = { openAtLogin: current.desktop.openAtLogin, theme: current.theme };
  };
  const setOpenAtLogin = (open: boolean): void => {
    applySystemSettings(running.updateSettings({ desktop: { ...running.settings().desktop, openAtLogin: open } }));
    tray.refresh();
  };
  const saveWindowPlacement = (): void => {
    if (window === null) return;
    running.updateSettings({ desktop: { ...running.settings().desktop, window: savedWindow(window.state()) } });
  };

  const trayActions: TrayActions = {
    openWindow: () => showWindow(),
    openIssue: (issueId) => openIssue(issueId),
    copyDsn: (dsn) => platform.writeClipboard(dsn),
    pauseForOneHour: () => updateNotifications((n) => pausedFor(n, ONE_HOUR_MS, clock.now())),
    pauseUntilResumed: () => updateNotifications(pausedUntilResumed),
    resume: () => updateNotifications(resumed),
    setOpenAtLogin,
    quit: () => platform.quit(),
  };
  const tray = new TrayController({ platform, core: running, actions: trayActions, clock });

  const settings = running.settings();
  applySystemSettings(settings);
  const unsubscribeSettings = running.subscribe((message) => {
    if (message.type === 'settings.changed') applySystemSettings(message.settings);
  });
  platform.setApplicationMenu(
    appMenu(platform.os, platform.isPackaged, {
      showAbout: () => {
        const text = aboutText(platform.version, running.url, running.dataDir);
        void platform.showMessageBox({ type: 'info', title: 'About Stacktray', ...text, buttons: ['OK'], defaultId: 0, cancelId: 0 });
      },
      openDataFolder: () => void platform.openPath(running.dataDir),
      installCommandLineTool: () =>
        void installCommandLineTool(platform, deps.env, running.dataDir).then((result) =>
          platform.showMessageBox({
            type: result.ok ? 'info' : 'warning',
            title: 'Command Line Tool',
            message: result.message,
            detail: result.detail,
            buttons: ['OK'],
            defaultId: 0,
            cancelId: 0,
          }),
        ),
    }),
  );
  platform.handleShellRequests(shellRequestHandlers({ platform, dataDir: running.dataDir, openInEditor: (request) => running.openInEditor(request) }));

  const trayVisible = await trayVisibility;
  const pageUrl = deps.devRendererUrl ?? running.url;
  window = platform.createMainWindow({
    url: pageUrl,
    allowedOrigins: [...new Set([new URL(pageUrl).origin, new URL(running.url).origin])],
    ...initialPlacement(settings.desktop.window, platform.displayWorkAreas()),
    onCloseRequested: () => {
      // Quitting saved the placement before stopping the core; the data folder may be another process's now.
      if (quitting) return false;
      saveWindowPlacement();
      if (trayVisible && running.settings().desktop.closeToTray) {
        window?.hide();
        return true;
      }
      platform.quit();
      return false;
    },
    startHidden: trayVisible && launchArgs.includes(HIDDEN_FLAG),
    onSessionEnd: () => {
      // No `before-quit` follows, and the OS may end the process once this returns.
      stopTheShell();
      running.stopNow();
    },
  });
  tray.start();
  notifier.flushPending();

  function showWindow(): void {
    window?.show();
  }
  function openIssue(issueId: number): void {
    window?.openIssue(issueId);
    window?.show();
  }
  function showRoute(hashRoute: string): void {
    window?.openRoute(hashRoute);
    window?.show();
  }

  platform.onSecondInstance(showWindow);
  platform.onActivate(showWindow);

  let shellStopped = false;
  function stopTheShell(): void {
    if (shellStopped) return;
    shellStopped = true;
    quitting = true;
    saveWindowPlacement();
    tray.stop();
    unsubscribeSettings();
  }
  let stopped: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    if (stopped !== null) return stopped;
    stopTheShell();
    stopped = running.stop();
    return stopped;
  };
  platform.onQuitRequested(shutdown);

  return { core: running, window, tray, openIssue, shutdown };
}

/** This launch's arguments, with the login flag a macOS login item cannot pass made explicit. */
function withLoginLaunchFlag(platform: ShellPlatform): readonly string[] {
  const args = platform.launchArgs;
  return !args.includes(HIDDEN_FLAG) && platform.openedAtLogin() ? [...args, HIDDEN_FLAG] : args;
}
