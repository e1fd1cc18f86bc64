/**
 * Keeps a burst of alerts from becoming a flood: at most `limit` alerts pass per window and
 * project; the rest are counted and, when that project's window closes, reported as one summary
 * alert naming the project. Each project has its own window, so a burst in one project never
 * swallows another project's alerts.
 */
import type { Alert } from '../../../shared/issue';

export interface CoalescerOptions {
  limit: number;
  windowMs: number;
}

export const DEFAULT_COALESCING: CoalescerOptions = { limit: 5, windowMs: 10_000 };

interface ProjectWindow {
  start: number;
  passed: number;
  suppressed: Alert[];
  timer: NodeJS.Timeout | null;
}

export class AlertCoalescer {
  /** By project id (alerts without one share the key -1). */
  private readonly windows = new Map<number, ProjectWindow>();

  constructor(
    private readonly deliver: (alert: Alert) => void,
    private readonly options: CoalescerOptions = DEFAULT_COALESCING,
    private readonly now: () => number = Date.now,
  ) {}

  push(alert: Alert): void {
    const key = alert.projectId ?? -1;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || (window.timer === null && now - window.start >= this.options.windowMs)) {
      // A quiet project's window is dropped and started afresh: the map holds only recent projects.
      window = { start: now, passed: 0, suppressed: [], timer: null };
      this.windows.set(key, window);
    }
    if (window.passed < this.options.limit) {
      window.passed++;
      this.deliver(alert);
      return;
    }
    window.suppressed.push(alert);
    if (window.timer === null) {
      const remaining = Math.max(0, window.start + this.options.windowMs - now);
      const closing = window;
      window.timer = setTimeout(() => this.closeWindow(key, closing), remaining);
      window.timer.unref();
    }
  }

  /** Emits the pending summaries now (on shutdown). */
  flush(): void {
    for (const [key, window] of [...this.windows]) {
      if (window.timer !== null) clearTimeout(window.timer);
      this.closeWindow(key, window);
    }
  }

  private closeWindow(key: number, window: ProjectWindow): void {
    window.timer = null;
    const suppressed = window.suppressed;
    window.suppressed = [];
    window.start = this.now();
    window.passed = 0;
    if (suppressed.length === 0) {
      this.windows.delete(key);
      return;
    }
    window.passed = 1;
    this.deliver(summarize(suppressed, new Date(this.now()).toISOString()));
  }
}

/** One alert standing for these (all of one project). */
export function summarize(alerts: Alert[], at: string): Alert {
  const created = alerts.filter((alert) => alert.kind === 'new').length;
  const regressed = alerts.filter((alert) => alert.kind === 'regression').length;
  const parts = [created ? `${created} new` : '', regressed ? `${regressed} regressed` : ''].filter(Boolean);
  const first = alerts[0];
  const project = first?.projectName ?? (first?.projectId !== undefined ? String(first.projectId) : undefined);
  return {
    kind: 'summary',
    ...(first?.projectId !== undefined && { projectId: first.projectId }),
    ...(first?.projectName !== undefined && { projectName: first.projectName }),
    title: `${parts.join(' and ')} issue${alerts.length === 1 ? '' : 's'}${project !== undefined ? ` in ${project}` : ''} (notifications coalesced)`,
    suppressed: alerts.length,
    at,
  };
}
