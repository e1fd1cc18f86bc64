/**
 * Counts refused ingest requests per project, reason and status over the last 24 hours, so a
 * wrong DSN is visible without the SDK's debug mode: one log line the first time a reason occurs
 * for a project, then at most one a minute with the count since; `list()` for `GET
 * /api/refusals`; `onChange` (called from `tick`) for the live stream. Bounded: at most
 * `maxEntries` entries of 24 hourly and 60 minute counters each, the stalest evicted first.
 */
import type { Refusal, RefusalReason } from '../../shared/refusal';
import type { RefusalRecorder, RefusedRequest } from '../ingest/ingest-sink';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Entry {
  projectId: number | null;
  status: number;
  reason: RefusalReason;
  detail: string;
  firstAt: number;
  lastAt: number;
  /** hour index → events; only the last 24 hours are kept. */
  hours: Map<number, number>;
  /** minute index → events; only the last 60 minutes are kept. */
  minutes: Map<number, number>;
  lastLoggedAt: number;
  /** Events since the last log line. */
  unlogged: number;
  changed: boolean;
}

export interface RefusalTrackerOptions {
  log: (line: string) => void;
  projectName: (projectId: number) => string | undefined;
  onChange?: (refusal: Refusal) => void;
  now?: () => number;
  maxEntries?: number;
}

export class RefusalTracker implements RefusalRecorder {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly options: RefusalTrackerOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 200;
  }

  record(refused: RefusedRequest): void {
    const events = Math.max(1, refused.events ?? 1);
    const now = this.now();
    const key = `${refused.projectId ?? '-'}|${refused.reason}|${refused.status}`;
    let entry = this.entries.get(key);
    if (!entry) {
      this.makeRoom();
      entry = {
        projectId: refused.projectId,
        status: refused.status,
        reason: refused.reason,
        detail: refused.detail,
        firstAt: now,
        lastAt: now,
        hours: new Map(),
        minutes: new Map(),
        lastLoggedAt: now,
        unlogged: 0,
        changed: true,
      };
      this.entries.set(key, entry);
      this.options.log(`refused ${plural(events)} for ${this.projectLabel(entry.projectId)} (${entry.status} ${entry.reason}): ${refused.detail}`);
    } else {
      entry.unlogged += events;
    }
    entry.detail = refused.detail;
    entry.lastAt = now;
    entry.changed = true;
    add(entry.hours, Math.floor(now / HOUR), events);
    add(entry.minutes, Math.floor(now / MINUTE), events);
    this.logIfDue(entry, now);
  }

  /** Every project and reason with refusals in the last 24 hours, the latest first. */
  list(): Refusal[] {
    const now = this.now();
    this.prune(now);
    return [...this.entries.values()].sort((a, b) => b.lastAt - a.lastAt).map((entry) => this.toRefusal(entry, now));
  }

  /** A deleted project's refusals go (its id may be given out again, and would inherit them). */
  forgetProject(projectId: number): void {
    for (const [key, entry] of this.entries) if (entry.projectId === projectId) this.entries.delete(key);
  }

  /** Called about once a second: logs counts held back for a minute and reports changed entries. */
  tick(): void {
    const now = this.now();
    this.prune(now);
    for (const entry of this.entries.values()) {
      this.logIfDue(entry, now);
      if (entry.changed) {
        entry.changed = false;
        this.options.onChange?.(this.toRefusal(entry, now));
      }
    }
  }

  /** Logs what is still held back (on shutdown). */
  flushLog(): void {
    for (const entry of this.entries.values()) this.logIfDue(entry, Number.POSITIVE_INFINITY);
  }

  private logIfDue(entry: Entry, now: number): void {
    if (entry.unlogged === 0 || now - entry.lastLoggedAt < MINUTE) return;
    this.options.log(
      `refused ${plural(entry.unlogged, 'more event')} for ${this.projectLabel(entry.projectId)} since the last line (${entry.status} ${entry.reason}): ${entry.detail}`,
    );
    entry.unlogged = 0;
    entry.lastLoggedAt = Math.min(now, this.now());
  }

  private toRefusal(entry: Entry, now: number): Refusal {
    const hourFloor = Math.floor(now / HOUR) - 23;
    const minuteFloor = Math.floor(now / MINUTE) - 59;
    return {
      projectId: entry.projectId,
      status: entry.status,
      reason: entry.reason,
      count: sumFrom(entry.hours, hourFloor),
      countLastHour: sumFrom(entry.minutes, minuteFloor),
      firstAt: new Date(Math.max(entry.firstAt, hourFloor * HOUR)).toISOString(),
      lastAt: new Date(entry.lastAt).toISOString(),
      detail: entry.detail,
    };
  }

  private prune(now: number): void {
    const hourFloor = Math.floor(now / HOUR) - 23;
    const minuteFloor = Math.floor(now / MINUTE) - 59;
    for (const [key, entry] of this.entries) {
      dropBelow(entry.hours, hourFloor);
      dropBelow(entry.minutes, minuteFloor);
      if (entry.hours.size === 0) {
        this.logIfDue(entry, Number.POSITIVE_INFINITY);
        this.entries.delete(key);
      }
    }
  }

  private makeRoom(): void {
    if (this.entries.size < this.maxEntries) return;
    let stalest: [string, Entry] | undefined;
    for (const pair of this.entries) if (!stalest || pair[1].lastAt < stalest[1].lastAt) stalest = pair;
    if (stalest) this.entries.delete(stalest[0]);
  }

  private projectLabel(projectId: number | null): string {
    if (projectId === null) return 'an unknown project';
    const name = this.options.projectName(projectId);
    return name === undefined ? `project ${projectId}` : `project ${projectId} (${name})`;
  }
}

function add(counts: Map<number, number>, index: number, events: number): void {
  counts.set(index, (counts.get(index) ?? 0) + events);
}

function sumFrom(counts: Map<number, number>, floor: number): number {
  let total = 0;
  for (const [index, count] of counts) if (index >= floor) total += count;
  return total;
}

function dropBelow(counts: Map<number, number>, floor: number): void {
  for (const index of counts.keys()) if (index < floor) counts.delete(index);
}

function plural(count: number, noun = 'event'): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
