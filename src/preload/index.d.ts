/** What the preload adds to the page: `window.stacktray`, present only inside the desktop app. */
import type { ShellBridge } from '../shared/shell';

declare global {
  interface Window {
    stacktray?: ShellBridge;
  }
}

export {};
