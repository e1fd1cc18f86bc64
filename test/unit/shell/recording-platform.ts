/**
 * A recording fake of ShellPlatform — the Electron-facing interface, and the only thing faked in the
 * shell tests. It records what the shell asks of Electron and lets a test play the user (click a
 * notification, answer a dialog, pick a tray item, launch a second instance, quit).
 */
import type {
  CommandLineEntry,
  DisplayArea,
  FileKind,
  MainWindow,
  MainWindowOptions,
  MenuItemSpec,
  MessageBoxSpec,
  NotificationSpec,
  ShellPlatform,
  ShellRequestHandlers,
  WindowState,
} from '../../../src/main/shell/platform';

export interface RecordedWindow extends MainWindow {
  readonly options: MainWindowOptions;
  /** Every page load and route change, in order: "load <url>", "openIssue <id>", "route <hash>", "show", "hide". */
  readonly log: string[];
  /** What the user has in front of them: the route the page shows, and whether it is visible. */
  readonly current: { route: string; visible: boolean };
  /** The user moved or resized the window. */
  place(state: WindowState): void;
  /** The user clicks the close button; true when the window stayed (hidden), false when it closed. */
  requestClose(): boolean;
  /** Windows ends the session (shutdown, log off): the process may be killed as soon as this returns. */
  endSession(): void;
}

export class RecordingPlatform implements ShellPlatform {
  readonly os: NodeJS.Platform;
  readonly version = '9.8.7';
  /** A development run unless a test plays the packaged app. */
  isPackaged = false;
  launchArgs: string[] = [];
  canRelaunch = true;
  startupJsFlags = '';
  /** A macOS login item started the app: like Electron, the platform can tell only once it is ready. */
  startedByLoginItem = false;
  /** Whether the desktop shows tray icons (GNOME without AppIndicator does not). */
  trayShown = true;
  private ready = false;
  readonly resourcesDir = '/app/resources';

  singleInstance = true;
  workAreas: DisplayArea[] = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  notificationsSupported = true;
  /** Answers to the next message boxes (button index), in order; an unexpected box fails the test. */
  readonly messageBoxAnswers: number[] = [];

  readonly calls: string[] = [];
  readonly notifications: { spec: NotificationSpec; click: () => void; action: (index: number) => void }[] = [];
  readonly messageBoxes: MessageBoxSpec[] = [];
  readonly clipboard: string[] = [];
  readonly openedPaths: string[] = [];
  readonly windows: RecordedWindow[] = [];
  tray: { tooltip: string; menu: MenuItemSpec[] } | null = null;
  trayUpdates = 0;
  badgeCount: number | null = null;
  openAtLogin: boolean | null = null;
  theme: string | null = null;
  applicationMenu: MenuItemSpec[] | null = null;
  requestHandlers: ShellRequestHandlers | null = null;
  quitCalls = 0;
  /** Arguments of each relaunch the shell asked for (the process exits right after one). */
  readonly relaunches: string[][] = [];

  readonly commandLineEntry: CommandLineEntry = { executable: '/opt/Stacktray/stacktray', script: '/opt/Stacktray/resources/app.asar/out/main/cli.js' };
  /** Folders that exist and the user may write in. */
  readonly writableFolders = new Set<string>();
  /** The files the shell wrote or linked, and any a test put there first. */
  readonly files = new Map<string, { kind: Exclude<FileKind, 'missing'>; text?: string; target?: string; executable?: boolean }>();

  private readonly secondInstanceListeners: (() => void)[] = [];
  private readonly activateListeners: (() => void)[] = [];
  private readonly quitListeners: (() => Promise<void>)[] = [];

  constructor(os: NodeJS.Platform = 'linux') {
    this.os = os;
  }

  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.singleInstance;
  }
  onSecondInstance(listener: () => void): void {
    this.secondInstanceListeners.push(listener);
  }
  onActivate(listener: () => void): void {
    this.activateListeners.push(listener);
  }
  onQuitRequested(listener: () => Promise<void>): void {
    this.quitListeners.push(listener);
  }
  async whenReady(): Promise<void> {
    this.calls.push('whenReady');
    this.ready = true;
  }
  openedAtLogin(): boolean {
    return this.ready && this.startedByLoginItem;
  }
  async trayIsVisible(): Promise<boolean> {
    return this.trayShown;
  }
  quit(): void {
    this.quitCalls += 1;
    this.calls.push('quit');
  }
  relaunch(args: string[]): void {
    this.calls.push('relaunch');
    this.relaunches.push(args);
  }
  setOpenAtLogin(open: boolean): void {
    this.calls.push(`setOpenAtLogin ${open}`);
    this.openAtLogin = open;
  }
  setBadgeCount(count: number): void {
    this.badgeCount = count;
  }
  setApplicationMenu(template: MenuItemSpec[]): void {
    this.applicationMenu = template;
  }
  setTheme(theme: 'system' | 'light' | 'dark'): void {
    this.calls.push(`setTheme ${theme}`);
    this.theme = theme;
  }
  isNotificationSupported(): boolean {
    return this.notificationsSupported;
  }
  showNotification(spec: NotificationSpec, onClick: () => void, onAction?: (index: number) => void): void {
    this.notifications.push({ spec, click: onClick, action: (index: number) => onAction?.(index) });
  }
  setTray(tooltip: string, menu: MenuItemSpec[]): void {
    this.tray = { tooltip, menu };
    this.trayUpdates += 1;
  }
  createMainWindow(options: MainWindowOptions): MainWindow {
    const window = recordedWindow(options);
    this.windows.push(window);
    return window;
  }
  displayWorkAreas(): DisplayArea[] {
    return this.workAreas;
  }
  async showMessageBox(spec: MessageBoxSpec): Promise<number> {
    this.messageBoxes.push(spec);
    const answer = this.messageBoxAnswers.shift();
    if (answer === undefined) throw new Error(`unexpected dialog: ${spec.message}`);
    return answer;
  }
  writeClipboard(text: string): void {
    this.clipboard.push(text);
  }
  async openPath(path: string): Promise<string> {
    this.openedPaths.push(path);
    return '';
  }
  handleShellRequests(handlers: ShellRequestHandlers): void {
    this.requestHandlers = handlers;
  }
  async isWritableFolder(path: string): Promise<boolean> {
    return this.writableFolders.has(path);
  }
  async fileKind(path: string): Promise<FileKind> {
    return this.files.get(path)?.kind ?? 'missing';
  }
  async readTextFile(path: string): Promise<string | null> {
    return this.files.get(path)?.text ?? null;
  }
  async writeExecutable(path: string, text: string): Promise<void> {
    this.files.set(path, { kind: 'file', text, executable: true });
  }
  async linkFile(target: string, linkPath: string): Promise<void> {
    if (this.files.get(linkPath)?.kind === 'file') throw new Error(`EEXIST: ${linkPath}`);
    this.files.set(linkPath, { kind: 'link', target });
  }

  // The user's side.
  launchSecondInstance(): void {
    for (const listener of this.secondInstanceListeners) listener();
  }
  clickDockIcon(): void {
    for (const listener of this.activateListeners) listener();
  }
  async requestQuit(): Promise<void> {
    await Promise.all(this.quitListeners.map((listener) => listener()));
  }
  /** Finds a tray menu item by its label path, e.g. ["Pause notifications", "For 1 hour"]. */
  trayItem(...labels: string[]): MenuItemSpec {
    let items = this.tray?.menu ?? [];
    let found: MenuItemSpec | undefined;
    for (const label of labels) {
      found = items.find((item) => item.label === label);
      if (found === undefined) throw new Error(`no tray item "${label}" in [${items.map((i) => i.label).join(', ')}]`);
      items = found.submenu ?? [];
    }
    if (found === undefined) throw new Error('no label given');
    return found;
  }
  /** Clicks an application menu item by its label path, e.g. ["Help", "Install Command Line Tool…"]. */
  clickMenu(...labels: string[]): void {
    let items = this.applicationMenu ?? [];
    let found: MenuItemSpec | undefined;
    for (const label of labels) {
      found = items.find((item) => item.label === label);
      if (found === undefined) throw new Error(`no menu item "${label}" in [${items.map((i) => i.label ?? i.role).join(', ')}]`);
      items = found.submenu ?? [];
    }
    if (found?.click === undefined) throw new Error(`menu item "${labels.join(' > ')}" is not clickable`);
    found.click();
  }
  clickTray(...labels: string[]): void {
    const item = this.trayItem(...labels);
    if (item.click === undefined) throw new Error(`tray item "${labels.join(' > ')}" is not clickable`);
    item.click();
  }
}

function recordedWindow(options: MainWindowOptions): RecordedWindow {
  const log: string[] = [`load ${options.url}`];
  const current = { route: new URL(options.url).hash || '#/', visible: !options.startHidden };
  let state: WindowState = {
    bounds: { x: options.bounds.x ?? 100, y: options.bounds.y ?? 100, width: options.bounds.width, height: options.bounds.height },
    maximized: options.maximized,
  };
  let destroyed = false;
  return {
    options,
    log,
    current,
    show() {
      log.push('show');
      current.visible = true;
    },
    hide() {
      log.push('hide');
      current.visible = false;
    },
    isVisible: () => current.visible,
    openIssue(issueId) {
      log.push(`openIssue ${issueId}`);
      current.route = `#/issues/${issueId}`;
    },
    openRoute(hashRoute) {
      log.push(`route ${hashRoute}`);
      current.route = hashRoute;
    },
    state: () => state,
    destroy() {
      destroyed = true;
      log.push('destroy');
    },
    place(next) {
      state = next;
    },
    requestClose() {
      if (destroyed) throw new Error('window already destroyed');
      const kept = options.onCloseRequested();
      if (!kept) {
        destroyed = true;
        current.visible = false;
        log.push('closed');
      }
      return kept;
    },
    endSession() {
      options.onSessionEnd();
    },
  };
}
