/**
 * Keeps a burst of alerts from becoming a flood: at most `limit` alerts pass per window; the rest
 * are counted and, when the window closes, reported as one summary alert.
 */
import type { Alert } from '../../../shared/issue';

export interface CoalescerOptions {
  limit: number;
  windowMs: number;
}

export const DEFAULT_COALESCING: CoalescerOptions = { limit: 5, windowMs: 10_000 };

export class AlertCoalescer {
  private windowStart = 0;
  private passed = 0;
  private suppressed: Alert[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deliver: (alert: Alert) => void,
    private readonly options: CoalescerOptions = DEFAULT_COALESCING,
    private readonly now: () => number = Date.now,
  ) {}

  push(alert: Alert): void {
    const now = this.now();
    if (this.timer === null && now - this.windowStart >= this.options.windowMs) {
      this.windowStart = now;
      this.passed = 0;
    }
    if (this.passed < this.options.limit) {
      this.passed++;
      this.deliver(alert);
      return;
    }
    this.suppressed.push(alert);
    if (this.timer === null) {
      const remaining = Math.max(0, this.windowStart + this.options.windowMs - now);
      this.timer = setTimeout(() => this.closeWindow(), remaining);
      this.timer.unref();
    }
  }

  /** Emits the pending summary now (on shutdown). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.closeWindow();
  }

  private closeWindow(): void {
    this.timer = null;
    const suppressed = this.suppressed;
    this.suppressed = [];
    this.windowStart = this.now();
    this.passed = 0;
    if (suppressed.length === 0) return;
    this.passed = 1;
    this.deliver(summarize(suppressed, new Date(this.now()).toISOString()));
  }
}

export function summarize(alerts: Alert[], at: string): Alert {
  const created = alerts.filter((alert) => alert.kind === 'new').length;
  const regressed = alerts.filter((alert) => alert.kind === 'regression').length;
  const parts = [created ? `${created} new` : '', regressed ? `${regressed} regressed` : ''].filter(Boolean);
  return {
    kind: 'summary',
    title: `${parts.join(' and ')} issue${alerts.length === 1 ? '' : 's'} (notifications coalesced)`,
    suppressed: alerts.length,
    at,
  };
}
