/** The desktop app's optional bridge (`window.stacktray`); the UI works fully without it. */
import type { ShellBridge } from '../../shared/shell';

declare global {
  interface Window {
    stacktray?: ShellBridge;
  }
}

export function shellBridge(): ShellBridge | null {
  return typeof window !== 'undefined' && window.stacktray ? window.stacktray : null;
}
