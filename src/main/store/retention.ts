/**
 * Evicting stored event payloads (rows of `events` and their attachments) in small bounded
 * batches, one transaction each. Only payloads go: issues keep their counts, first/last seen,
 * user counts, tags and hourly counts, which live in their own tables, and each evicted event
 * leaves its id in `evicted_events`, so that the SDK re-sending it is answered as a duplicate
 * (as Sentry dedupes by event id) instead of counting it twice. The scheduling (when, how many
 * batches, yielding to ingest between them) is the retention job's.
 */
import type { Db } from './db';
import { issueSampleLimits, planIssueEvictions } from './retention/sample-plan';

export interface RetentionLimits {
  maxEventsPerIssue: number;
  maxEventsTotal: number;
  maxAgeDays: number;
  maxDatabaseMb: number;
}

const DAY = 86_400;

export class RetentionStore {
  private readonly statements;

  /** `now`: milliseconds since the epoch, the time evicted ids are recorded at. */
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    this.statements = {
      oldest: db.prepare<[number], { id: number; received: number }>('SELECT id, received FROM events ORDER BY id LIMIT ?'),
      // Filtered in SQL (here and for evicted ids): a pass, one a second under steady ingest,
      // mostly finds nothing old, and then no rows come back to JavaScript.
      oldestBefore: db.prepare<[number, number], number>(
        'SELECT id FROM (SELECT id, received FROM events ORDER BY id LIMIT ?) WHERE received < ?',
      ).pluck(),
      // The oldest events that are not their issue's newest, with the bytes each holds (payload
      // and attachments). Both lookups are index seeks (events_by_issue, attachments_by_event).
      oldestSized: db.prepare<[number], { id: number; bytes: number }>(
        `SELECT e.id, length(e.payload) + coalesce(
             (SELECT sum(length(a.data)) FROM attachments a WHERE a.project_id = e.project_id AND a.event_id = e.event_id), 0) AS bytes
           FROM events e
          WHERE e.id < (SELECT max(n.id) FROM events n WHERE n.issue_id = e.issue_id)
          ORDER BY e.id LIMIT ?`,
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events'),
      maxRowId: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events'),
      busyIssues: db.prepare<[number], { id: number; count: number }>(
        'SELECT id, count FROM issues WHERE count > ? ORDER BY count DESC, id DESC',
      ),
      issueRowIds: db.prepare<[number], number>('SELECT id FROM events WHERE issue_id = ? ORDER BY id').pluck(),
      deleteAttachments: db.prepare<[string]>(
        `DELETE FROM attachments WHERE (project_id, event_id) IN
           (SELECT project_id, event_id FROM events WHERE id IN (SELECT value FROM json_each(?)))`,
      ),
      deleteEvents: db.prepare<[string]>('DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))'),
      recordEvicted: db.prepare<[number, string]>(
        `INSERT OR IGNORE INTO evicted_events (project_id, event_id, evicted_at)
         SELECT project_id, event_id, ? FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      ),
      expiredEvictedIds: db.prepare<[number, number, number], number>(
        'SELECT id FROM (SELECT id, evicted_at FROM evicted_events ORDER BY id LIMIT ?) WHERE evicted_at < ? OR id <= ?',
      ).pluck(),
      newestEvictedId: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM evicted_events'),
      forgetEvictedIds: db.prepare<[string]>('DELETE FROM evicted_events WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  /**
   * Deletes these events and their attachments in one transaction, keeping their ids as
   * evicted; returns how many events went.
   */
  evict(rowIds: readonly number[]): number {
    if (rowIds.length === 0) return 0;
    const ids = JSON.stringify(rowIds);
    return this.db.transaction(() => {
      this.statements.recordEvicted.run(this.now() / 1000, ids);
      this.statements.deleteAttachments.run(ids);
      return this.statements.deleteEvents.run(ids).changes;
    })();
  }

  /**
   * One batch of the oldest evicted ids that are past keeping: evicted before `cutoff` (seconds),
   * or beyond the newest `maxKept`. An SDK retries within minutes to days of sending, so an old
   * id is no longer needed; the count bound keeps a flood of evictions from growing the table
   * without end. Returns how many ids were forgotten.
   */
  forgetEvictedIds(cutoff: number, maxKept: number, batch: number): number {
    const newest = this.statements.newestEvictedId.get()?.id ?? 0;
    const expired = this.statements.expiredEvictedIds.all(batch, cutoff, newest - maxKept);
    if (expired.length === 0) return 0;
    return this.statements.forgetEvictedIds.run(JSON.stringify(expired)).changes;
  }

  /**
   * One batch of events received before `cutoff` (seconds). Age is judged in arrival (row id)
   * order, which needs no extra index: the scan stops at the first batch holding nothing old.
   */
  evictOlderThan(cutoff: number, batch: number): number {
    return this.evict(this.statements.oldestBefore.all(batch, cutoff));
  }

  /** One batch of the oldest events, at most `excess`. */
  evictOldest(excess: number, batch: number): number {
    if (excess <= 0) return 0;
    return this.evict(this.statements.oldest.all(Math.min(excess, batch)).map((row) => row.id));
  }

  /**
   * One small step toward a size cap: the oldest events across the store whose payloads and
   * attachments add up to `excessBytes` (at most `maxRows` of them), never an issue's newest
   * event, so every issue keeps its latest event. Returns the events and bytes evicted.
   */
  evictBytes(excessBytes: number, maxRows: number): { events: number; bytes: number } {
    if (excessBytes <= 0) return { events: 0, bytes: 0 };
    const chosen: number[] = [];
    let bytes = 0;
    for (const row of this.statements.oldestSized.iterate(maxRows)) {
      chosen.push(row.id);
      bytes += row.bytes;
      if (bytes >= excessBytes) break;
    }
    return { events: this.evict(chosen), bytes };
  }

  storedEvents(): number {
    return this.statements.count.get()?.n ?? 0;
  }

  /** Grows with every stored event: cheap (the rowid b-tree's last entry) to see if anything arrived. */
  newestRowId(): number {
    return this.statements.maxRowId.get()?.id ?? 0;
  }

  /** Issues that have ever counted more events than `max`: the only ones that can hold too many. */
  busyIssues(max: number): { id: number; count: number }[] {
    return this.statements.busyIssues.all(max);
  }

  /** The row ids to evict from one issue to bring it to its sample (none when it is within the limit). */
  planIssue(issueId: number, maxEventsPerIssue: number): number[] {
    return planIssueEvictions(this.statements.issueRowIds.all(issueId), issueSampleLimits(maxEventsPerIssue));
  }

  /** Bytes in use by the database (its pages minus the free ones), WAL content included. */
  usedBytes(): number {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  /**
   * Gives free pages back to the file system when the database was created with
   * `auto_vacuum = INCREMENTAL`; otherwise freed pages stay in the file and are reused by new
   * rows, so the file stops growing but does not shrink. Returns the pages released.
   */
  releaseFreePages(maxPages: number): number {
    if ((this.db.pragma('auto_vacuum', { simple: true }) as number) !== 2) return 0;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    if (free === 0) return 0;
    const pages = Math.min(free, maxPages);
    this.db.pragma(`incremental_vacuum(${pages})`);
    return pages;
  }
}

/** Seconds since the epoch before which events are too old to keep. */
export function ageCutoff(limits: Pick<RetentionLimits, 'maxAgeDays'>, nowSeconds: number): number {
  return nowSeconds - limits.maxAgeDays * DAY;
}
