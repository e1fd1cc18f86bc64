/**
 * The slice of Electron (and the OS) the desktop shell uses, as one small interface. The shell's logic
 * talks only to this; `electron/electron-platform.ts` implements it with Electron's APIs, and unit tests
 * use a recording fake of it, so the logic runs without an Electron binary.
 */

/** Roles the application menu uses; the adapter passes them to Electron unchanged. */
export type MenuRole =
  | 'appMenu'
  | 'editMenu'
  | 'windowMenu'
  | 'about'
  | 'help'
  | 'quit'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

/** A menu item as plain data (tray menu, application menu). */
export interface MenuItemSpec {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  role?: MenuRole;
  enabled?: boolean;
  checked?: boolean;
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export interface NotificationSpec {
  title: string;
  body: string;
  /** Button labels, where the OS shows notification actions (macOS); `onAction` gets the index. */
  actions?: string[];
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a window may go: the work area of one display. */
export type DisplayArea = Bounds;

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export interface MainWindowOptions {
  /** The page to load (the core's URL, or the dev server's in `electron-vite dev`). */
  url: string;
  /** Origins the window may navigate to; anything else opens in the browser or is refused. */
  allowedOrigins: string[];
  /** Initial placement; the platform centres the window when `x`/`y` are absent. */
  bounds: Partial<Pick<Bounds, 'x' | 'y'>> & Pick<Bounds, 'width' | 'height'>;
  maximized: boolean;
  /** Stay hidden until asked (a launch at login starts in the tray). */
  startHidden: boolean;
  /** Asked on every close request: true keeps the window (it is hidden instead of destroyed). */
  onCloseRequested: () => boolean;
  /**
   * Windows is ending the session (shutdown, restart, log off): Electron emits no `before-quit` then,
   * and the process may be killed as soon as this returns, so what must reach the disk is done in it.
   */
  onSessionEnd: () => void;
}

/** Every method is safe after the window was closed (it does nothing then; `state` keeps the last one). */
export interface MainWindow {
  show(): void;
  hide(): void;
  isVisible(): boolean;
  /** Shows the issue: tells the renderer (`ShellBridge.onOpenIssue`), or loads the page on that route. */
  openIssue(issueId: number): void;
  /** Shows a route of the single-page app, e.g. `#/issues`. */
  openRoute(hashRoute: string): void;
  state(): WindowState;
  destroy(): void;
}

export interface MessageBoxSpec {
  type: 'info' | 'warning' | 'error' | 'question';
  title: string;
  message: string;
  detail?: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

/** What the renderer may ask of the shell (see `src/shared/shell.ts`); the platform wires it to IPC. */
export interface ShellRequestHandlers {
  revealDataFolder(): Promise<void>;
  appVersion(): Promise<string>;
  openInEditor(path: string, line?: number, column?: number): Promise<boolean>;
}

/** How the app runs its command-line entry (out/main/cli.js) with its own runtime as Node. */
export interface CommandLineEntry {
  /** The app's executable, run with ELECTRON_RUN_AS_NODE=1. */
  executable: string;
  script: string;
}

export type FileKind = 'missing' | 'link' | 'file' | 'other';

export interface ShellPlatform {
  readonly os: NodeJS.Platform;
  /** The app's version (package.json in development, the bundle's in a packaged app). */
  readonly version: string;
  readonly isPackaged: boolean;
  /** The arguments after the executable this process was started with (what a relaunch repeats). */
  readonly launchArgs: readonly string[];
  /**
   * Whether a relaunch is known to come back: false for an AppImage, whose mount goes away with the
   * process that would have to start it again.
   */
  readonly canRelaunch: boolean;
  /**
   * The OS started the app at login without saying so in its arguments (macOS login items). Meaningful
   * only once `whenReady` has resolved: macOS tells Electron only then.
   */
  openedAtLogin(): boolean;
  /** The `--js-flags` value the process was started with ("" when none): V8's flags for the main process. */
  readonly startupJsFlags: string;

  /** Folder of the tray icons (`resources/`). */
  readonly resourcesDir: string;

  /** False when another instance already runs (it receives `onSecondInstance`). */
  requestSingleInstanceLock(): boolean;
  onSecondInstance(listener: () => void): void;
  /** macOS: the dock icon was clicked. */
  onActivate(listener: () => void): void;
  /** The user asked to quit (menu, Cmd+Q, OS shutdown). Return a promise to finish work first. */
  onQuitRequested(listener: () => Promise<void>): void;
  /** Resolves once the app may create windows. */
  whenReady(): Promise<void>;
  quit(): void;
  /** Starts a new instance with `args` once this one has exited, and exits this one at once. */
  relaunch(args: string[]): void;

  setOpenAtLogin(open: boolean): void;
  /** macOS dock badge / Unity launcher count; 0 clears it. */
  setBadgeCount(count: number): void;
  setApplicationMenu(template: MenuItemSpec[]): void;
  /** Colour scheme of native UI and of the page's `prefers-color-scheme`. */
  setTheme(theme: 'system' | 'light' | 'dark'): void;

  isNotificationSupported(): boolean;
  showNotification(spec: NotificationSpec, onClick: () => void, onAction?: (index: number) => void): void;

  /** Creates the tray icon once; later calls update tooltip and menu. */
  setTray(tooltip: string, menu: MenuItemSpec[]): void;
  /**
   * Whether a tray icon would be visible at all. GNOME without the AppIndicator extension shows none,
   * and a window closed "to the tray" could then never be reopened. Asked once, after `whenReady`.
   */
  trayIsVisible(): Promise<boolean>;

  createMainWindow(options: MainWindowOptions): MainWindow;
  displayWorkAreas(): DisplayArea[];

  showMessageBox(spec: MessageBoxSpec): Promise<number>;
  writeClipboard(text: string): void;
  /** Opens a file or folder with the OS default application; resolves to an error message or "". */
  openPath(path: string): Promise<string>;

  handleShellRequests(handlers: ShellRequestHandlers): void;

  // "Install Command Line Tool"
  readonly commandLineEntry: CommandLineEntry;
  /** An existing folder this user may create files in. */
  isWritableFolder(path: string): Promise<boolean>;
  /** What is at `path` (a symbolic link is not followed). */
  fileKind(path: string): Promise<FileKind>;
  readTextFile(path: string): Promise<string | null>;
  /** Writes a script (creating its folder) that the user may run. */
  writeExecutable(path: string, text: string): Promise<void>;
  /** Makes `linkPath` a symbolic link to `target`, replacing a link already there. */
  linkFile(target: string, linkPath: string): Promise<void>;
}
