/** A ShellClock a test moves by hand, so pauses and throttled refreshes are stepped, not waited for. */
import type { ShellClock } from '../../../src/main/shell/clock';

export class ManualClock implements ShellClock {
  private current: number;
  private timers: { at: number; run: () => void; cancelled: boolean }[] = [];

  constructor(start = Date.parse('2026-11-25T12:00:00Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(run: () => void, ms: number): () => void {
    const timer = { at: this.current + ms, run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  get pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.current = Math.max(this.current, due.at);
      due.run();
    }
    this.current = end;
    this.timers = this.timers.filter((timer) => !timer.cancelled);
  }
}
