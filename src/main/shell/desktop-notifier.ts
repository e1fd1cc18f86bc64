/** The desktop app's Notifier: each coalesced alert from the core becomes one native notification. */
import type { Alert } from '../../shared/issue';
import type { Settings } from '../../shared/settings';
import type { Notifier } from '../pipeline/alert/notifier';
import { notificationFor, routeFor, shouldNotify } from './alert-notification';
import type { ShellPlatform } from './platform';

/** Alerts the core raises while it starts (before its settings can be read) wait here; a few at most. */
const MAX_PENDING = 5;

export interface DesktopNotifierDeps {
  platform: Pick<ShellPlatform, 'isNotificationSupported' | 'showNotification'>;
  /** The core's current settings; undefined until the core has started. */
  settings: () => Settings | undefined;
  now: () => Date;
  /** Brings the window forward on the alert's issue (or the issue list for a summary). */
  open: (target: ReturnType<typeof routeFor>) => void;
}

export class DesktopNotifier implements Notifier {
  private readonly pending: Alert[] = [];

  constructor(private readonly deps: DesktopNotifierDeps) {}

  notify(alert: Alert): void {
    const settings = this.deps.settings();
    if (settings === undefined) {
      if (this.pending.length < MAX_PENDING) this.pending.push(alert);
      return;
    }
    if (!shouldNotify(alert, settings.notifications, this.deps.now())) return;
    if (!this.deps.platform.isNotificationSupported()) return;
    this.deps.platform.showNotification(notificationFor(alert), () => this.deps.open(routeFor(alert)));
  }

  /** Delivers the alerts held back during start-up; call once settings are readable. */
  flushPending(): void {
    const held = this.pending.splice(0);
    for (const alert of held) this.notify(alert);
  }
}
