import type { Alert } from '../../../shared/issue';

/** Where alerts go: a log line headless, a native notification in the desktop app. */
export interface Notifier {
  notify(alert: Alert): void;
}
