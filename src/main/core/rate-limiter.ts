/**
 * Per-project events-per-minute limit in fixed one-minute windows; 0 means no limit. A request is
 * admitted whole or refused whole, and a refusal counts nothing, so a client that keeps retrying
 * a refused envelope does not use up the budget of the events that do get through. A window with
 * nothing admitted yet takes any one request, however large: otherwise a batch bigger than the
 * limit (an OTLP export of many exceptions) would be refused in every window, forever.
 */
import type { RateLimiter } from '../ingest/ingest-sink';

export class MinuteRateLimiter implements RateLimiter {
  private readonly windows = new Map<number, { start: number; count: number }>();

  constructor(private readonly limitPerMinute: () => number, private readonly now: () => number = Date.now) {}

  retryAfter(projectId: number, events = 1): number | null {
    const limit = this.limitPerMinute();
    if (limit <= 0) return null;
    const now = this.now();
    const windowStart = now - (now % 60_000);
    let window = this.windows.get(projectId);
    if (!window || window.start !== windowStart) {
      window = { start: windowStart, count: 0 };
      this.windows.set(projectId, window);
    }
    if (window.count > 0 && window.count + events > limit) return Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000));
    window.count += events;
    return null;
  }
}
