/** The desktop app's Notifier: each coalesced alert from the core becomes one native notification. */
import type { Alert } from '../../shared/issue';
import type { Settings } from '../../shared/settings';
import type { Notifier } from '../pipeline/alert/notifier';
import { notificationFor, routeFor, shouldNotify } from './alert-notification';
import type { OpenInEditorRequest } from '../sources/open-in-editor';
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
  /** The top in-app frame of the alert's issue with a local file, for the "Open in editor" action. */
  editorTarget?: (alert: Alert) => OpenInEditorRequest | null;
  openInEditor?: (request: OpenInEditorRequest) => void;
}

export const OPEN_IN_EDITOR_ACTION = 'Open in editor';

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
    const target = this.deps.openInEditor ? (this.deps.editorTarget?.(alert) ?? null) : null;
    const spec = notificationFor(alert);
    if (target === null) {
      this.deps.platform.showNotification(spec, () => this.deps.open(routeFor(alert)));
      return;
    }
    this.deps.platform.showNotification({ ...spec, actions: [OPEN_IN_EDITOR_ACTION] }, () => this.deps.open(routeFor(alert)), () => this.deps.openInEditor?.(target));
  }

  /** Delivers the alerts held back during start-up; call once settings are readable. */
  flushPending(): void {
    const held = this.pending.splice(0);
    for (const alert of held) this.notify(alert);
  }
}
