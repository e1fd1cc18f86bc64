/** Settings kept in `settings.json` in the data folder; shared by the headless core and the desktop shell. */
export interface Settings {
  notifications: {
    enabled: boolean;
    onNew: boolean;
    onRegression: boolean;
    /** ISO time until which desktop notifications are paused; "forever" until resumed; null when not paused. */
    pausedUntil: string | null;
  };
  retention: {
    maxEventsPerIssue: number;
    maxEventsTotal: number;
    maxAgeDays: number;
    maxDatabaseMb: number;
  };
  /** Per-project events/minute; 0 = no limit (the default: a local tracker takes what it is sent). */
  rateLimitPerMinute: number;
  port: number;
  otlpPort: number;
  theme: 'system' | 'light' | 'dark';
  /**
   * Folders whose files Stacktray may read (source maps, source context, git) and open in an editor:
   * absolute paths; null means the user's home folder without its dot-folders.
   */
  sourceFolders: string[] | null;
  /** The command that opens a file in the user's editor; "" uses STACKTRAY_EDITOR, VISUAL or EDITOR. */
  editor: string;
  /** Bounds of the queue of envelopes waiting for projects' upstreams: past either, the oldest are dropped. */
  forwarding: { maxQueuedEnvelopes: number; maxQueuedMb: number };
  desktop: {
    closeToTray: boolean;
    openAtLogin: boolean;
    window?: { x?: number; y?: number; width: number; height: number; maximized?: boolean };
  };
}

export const DEFAULT_PORT = 8969;
export const DEFAULT_OTLP_PORT = 4318;

export function defaultSettings(): Settings {
  return {
    notifications: { enabled: true, onNew: true, onRegression: true, pausedUntil: null },
    retention: { maxEventsPerIssue: 1000, maxEventsTotal: 200_000, maxAgeDays: 90, maxDatabaseMb: 2048 },
    rateLimitPerMinute: 0,
    port: DEFAULT_PORT,
    otlpPort: DEFAULT_OTLP_PORT,
    theme: 'system',
    sourceFolders: null,
    editor: '',
    forwarding: { maxQueuedEnvelopes: 10_000, maxQueuedMb: 100 },
    desktop: { closeToTray: true, openAtLogin: false },
  };
}
