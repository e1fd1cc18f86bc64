/**
 * Enforces the retention settings in the background: age, per-issue sampling, total count and
 * database size, in that order, in batches of a few hundred rows with a turn of the event loop
 * between them, so ingest never waits on more than one small transaction. A cheap tick (once a
 * second) notices new events (the newest row id) or changed limits and starts a pass.
 */
import type { Settings } from '../../shared/settings';
import { ageCutoff, RetentionStore, type RetentionLimits } from '../store/retention';
import type { Db } from '../store/db';

export interface RetentionJobOptions {
  /** How often to look for new events. */
  tickMs?: number;
  /** Rows deleted per transaction. */
  batchSize?: number;
  /** A pass runs at least this often even without new events (age limits move with the clock). */
  idlePassMs?: number;
  now?: () => number;
  /** A limit's first eviction is a warning and later ones info; a cap that cannot be met, or a failed pass, is a warning. */
  log?: (level: 'info' | 'warn', line: string) => void;
  /** How long (days since eviction) and how many evicted event ids are kept to recognize re-sent events. */
  evictedIds?: { keepDays: number; maxKept: number };
  /**
   * Stores outside the database bounded by the same settings (uploaded artifact bundles), brought
   * under them at each pass: a lowered size or age limit applies without waiting for an upload.
   */
  boundAlongside?: () => void;
}

export interface RetentionPassReport {
  byAge: number;
  perIssue: number;
  overTotal: number;
  overSize: number;
  /** Ids of long-evicted events forgotten (past evictedIds.keepDays or .maxKept). */
  forgottenIds: number;
  /** Free pages returned to the file system (0 unless the database uses incremental auto-vacuum). */
  releasedPages: number;
  /** Bytes still in use after the pass, when over the size cap and nothing was left to evict. */
  stillOverSizeBytes: number | null;
}

/**
 * SDKs retry a failed send for minutes, and an offline cache holds events for days: 30 days of
 * evicted ids covers that. A million ids (~100 MB with their index) bounds a flood, and so does
 * a tenth of the size cap (EVICTED_ID_BYTES each), so the ids never crowd out the payloads.
 */
const DEFAULTS = { tickMs: 1_000, batchSize: 250, idlePassMs: 10 * 60_000, evictedIds: { keepDays: 30, maxKept: 1_000_000 } };
const VACUUM_PAGES_PER_STEP = 2_000;
/** Measured: an evicted id's row and index entry (random ids fill index pages ~70%). */
const EVICTED_ID_BYTES = 100;

export class RetentionJob {
  private readonly store: RetentionStore;
  private readonly options: Required<Omit<RetentionJobOptions, 'log' | 'boundAlongside'>> & Pick<RetentionJobOptions, 'log' | 'boundAlongside'>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionPassReport> | null = null;
  private again = false;
  private stopped = false;
  private seenRowId = -1;
  private seenLimits = '';
  private lastPassAt = 0;
  /** Issue id → its event count when it was last brought to its sample, for the same per-issue maximum. */
  private sampled = new Map<number, number>();
  private sampledFor = 0;
  /** The limits (by reason) that have evicted since the limits last changed: their first eviction was a warning. */
  private warned = new Set<string>();
  private warnedFor = '';

  constructor(db: Db, private readonly settings: () => Settings, options: RetentionJobOptions = {}) {
    this.options = { ...DEFAULTS, now: Date.now, ...options };
    this.store = new RetentionStore(db, this.options.now);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref();
    this.nudge();
  }

  /** Starts a pass now (or right after the running one). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runPass().catch((error: unknown) => this.options.log?.('warn', `retention pass failed: ${String(error)}`));
  }

  /** Runs a full pass and resolves with what it evicted (a running pass is waited for first). */
  async runPass(): Promise<RetentionPassReport> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.pass();
    try {
      return await this.running;
    } finally {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.nudge();
      }
    }
  }

  /** Stops scheduling and waits for the running batch to end (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    const newest = this.store.newestRowId();
    const idle = this.options.now() - this.lastPassAt >= this.options.idlePassMs;
    const changed = limitsKey(this.settings().retention) !== this.seenLimits;
    if (newest !== this.seenRowId || idle || changed) this.nudge();
  }

  private async pass(): Promise<RetentionPassReport> {
    const limits: RetentionLimits = this.settings().retention;
    const batch = this.options.batchSize;
    const report: RetentionPassReport = {
      byAge: 0, perIssue: 0, overTotal: 0, overSize: 0, forgottenIds: 0, releasedPages: 0, stillOverSizeBytes: null,
    };
    this.seenRowId = this.store.newestRowId();
    this.seenLimits = limitsKey(limits);
    this.lastPassAt = this.options.now();

    const cutoff = ageCutoff(limits, this.options.now() / 1000);
    report.byAge = await this.repeat(() => this.store.evictOlderThan(cutoff, batch));
    report.perIssue = await this.samplePerIssue(limits.maxEventsPerIssue);
    report.overTotal = await this.repeat(() => this.store.evictOldest(this.store.storedEvents() - limits.maxEventsTotal, batch));
    const maxBytes = limits.maxDatabaseMb * 1024 * 1024;
    const maxKept = Math.min(this.options.evictedIds.maxKept, Math.floor(maxBytes / 10 / EVICTED_ID_BYTES));
    const forgetBefore = this.options.now() / 1000 - this.options.evictedIds.keepDays * 86_400;
    const forget = () => this.repeat(() => this.store.forgetEvictedIds(forgetBefore, maxKept, batch));
    // Ids past keeping go before the size is judged, and again for those the size step evicted.
    report.forgottenIds = await forget();
    // By bytes, a small step at a time, measuring between steps: a fixed row count overshoots
    // badly when events are large (250 events of 70 KB are far more than a few MB over the cap).
    let overSizeBytes = 0;
    report.overSize = await this.repeat(() => {
      const step = this.store.evictBytes(this.store.usedBytes() - maxBytes, batch);
      overSizeBytes += step.bytes;
      return step.events;
    });
    report.forgottenIds += await forget();
    // After evicting: hand the freed pages back to the file system (new databases; see db.ts).
    report.releasedPages = await this.repeat(() => this.store.releaseFreePages(VACUUM_PAGES_PER_STEP));
    const used = this.store.usedBytes();
    if (used > maxBytes) report.stillOverSizeBytes = used;

    this.options.boundAlongside?.();
    this.logEvictions(report, limits, overSizeBytes);
    if (report.stillOverSizeBytes !== null) {
      this.options.log?.('warn', `the database uses ${Math.round(used / 1048576)} MB, over its ${limits.maxDatabaseMb} MB cap, with no event payloads left to evict`);
    }
    return report;
  }

  /**
   * One line per pass that evicted, naming only the limits that did. The first eviction by each
   * limit (since the limits last changed) is a warning, so it reaches a log that shows only
   * warnings (the headless CLI's); the steady trickle after it is info.
   */
  private logEvictions(report: RetentionPassReport, limits: RetentionLimits, overSizeBytes: number): void {
    const reasons: [key: string, count: number, text: string][] = [
      ['age', report.byAge, `older than ${limits.maxAgeDays} days`],
      ['issue', report.perIssue, `sampled out of issues holding over ${limits.maxEventsPerIssue}`],
      ['total', report.overTotal, `over ${limits.maxEventsTotal} events in all`],
      ['size', report.overSize, `(${formatMb(overSizeBytes)}) to stay under the ${limits.maxDatabaseMb} MB database cap, oldest first`],
    ];
    const happened = reasons.filter(([, count]) => count > 0);
    if (happened.length === 0) return;
    const key = limitsKey(limits);
    if (this.warnedFor !== key) {
      this.warnedFor = key;
      this.warned.clear();
    }
    const fresh = happened.some(([reason]) => !this.warned.has(reason));
    for (const [reason] of happened) this.warned.add(reason);
    const total = happened.reduce((sum, [, count]) => sum + count, 0);
    const parts = happened.map(([, count, text]) => `${count} ${text}`).join('; ');
    this.options.log?.(fresh ? 'warn' : 'info', `retention evicted ${total} event payload(s): ${parts}`);
  }

  /** Brings every issue holding more than `max` payloads down to its sample, a batch at a time. */
  private async samplePerIssue(max: number): Promise<number> {
    if (this.sampledFor !== max) {
      this.sampled.clear();
      this.sampledFor = max;
    }
    let evicted = 0;
    for (const issue of this.store.busyIssues(max)) {
      if (this.stopped) break;
      if (this.sampled.get(issue.id) === issue.count) continue;
      const plan = this.store.planIssue(issue.id, max);
      for (let start = 0; start < plan.length && !this.stopped; start += this.options.batchSize) {
        evicted += this.store.evict(plan.slice(start, start + this.options.batchSize));
        await yieldToIngest();
      }
      this.sampled.set(issue.id, issue.count);
      await yieldToIngest();
    }
    return evicted;
  }

  /** Runs `step` until it evicts nothing (or the job stops), yielding to ingest between steps. */
  private async repeat(step: () => number): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const done = step();
      if (done === 0) break;
      total += done;
      await yieldToIngest();
    }
    return total;
  }
}

function limitsKey(limits: RetentionLimits): string {
  return `${limits.maxEventsPerIssue}/${limits.maxEventsTotal}/${limits.maxAgeDays}/${limits.maxDatabaseMb}`;
}

function formatMb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function yieldToIngest(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
