/** The few shell actions the desktop app exposes to the renderer (`window.stacktray`), typed once here. */
export interface ShellBridge {
  /** Subscribe to "open this issue" requests (from a notification or the tray); returns an unsubscribe. */
  onOpenIssue(listener: (issueId: number) => void): () => void;
  revealDataFolder(): Promise<void>;
  appVersion(): Promise<string>;
  /** Open a stack frame's file in the user's editor. */
  openInEditor(path: string, line?: number, column?: number): Promise<boolean>;
}

export const SHELL_CHANNELS = {
  openIssue: 'stacktray:open-issue',
  revealDataFolder: 'stacktray:reveal-data-folder',
  appVersion: 'stacktray:app-version',
  openInEditor: 'stacktray:open-in-editor',
} as const;
