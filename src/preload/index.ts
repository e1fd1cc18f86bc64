/**
 * The renderer's only door to the shell: `window.stacktray` (ShellBridge), a handful of named actions.
 * No generic IPC is exposed; the data itself travels over the local HTTP API.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { SHELL_CHANNELS, type ShellBridge } from '../shared/shell';

/** The page's location (the preload shares the document, not the page's globals). */
declare const location: { hash: string };

const openIssueListeners = new Set<(issueId: number) => void>();

ipcRenderer.on(SHELL_CHANNELS.openIssue, (_event, issueId: unknown) => {
  if (typeof issueId !== 'number' || !Number.isInteger(issueId) || issueId <= 0) return;
  // A page that has not subscribed (still loading, or any other view) still lands on the issue.
  if (openIssueListeners.size === 0) {
    location.hash = `#/issues/${issueId}`;
    return;
  }
  for (const listener of openIssueListeners) listener(issueId);
});

const bridge: ShellBridge = {
  onOpenIssue(listener) {
    openIssueListeners.add(listener);
    return () => {
      openIssueListeners.delete(listener);
    };
  },
  revealDataFolder: () => ipcRenderer.invoke(SHELL_CHANNELS.revealDataFolder),
  appVersion: () => ipcRenderer.invoke(SHELL_CHANNELS.appVersion),
  openInEditor: (path, line, column) => ipcRenderer.invoke(SHELL_CHANNELS.openInEditor, path, line, column),
};

contextBridge.exposeInMainWorld('stacktray', bridge);
