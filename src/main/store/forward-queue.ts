/**
 * The queue of envelopes waiting for projects' upstreams, and what became of those that left it.
 * `enqueue` runs inside the ingest writer's transaction; the sender (src/main/forwarding) takes,
 * settles and reschedules rows. Bounded: past the limits the oldest rows are dropped and counted.
 */
import type { Db } from './db';
import type { ForwardingStatus } from '../../shared/project';
import { iso } from './issues-repo';

export interface QueueLimits {
  maxEnvelopes: number;
  maxBytes: number;
}

export interface QueuedEnvelope {
  id: number;
  projectId: number;
  body: Buffer;
  attempts: number;
  upstreamDsn: string;
}

interface StateRow {
  delivered: number;
  last_delivered_at: number | null;
  dropped_overflow: number;
  dropped_rejected: number;
  last_error: string | null;
  last_error_at: number | null;
  failures: number;
  retry_at: number | null;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxEnvelopes: 10_000, maxBytes: 100 * 1024 * 1024 };

export class ForwardQueue {
  private readonly statements;
  private limits: () => QueueLimits = () => DEFAULT_QUEUE_LIMITS;
  private listener: () => void = () => undefined;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare('INSERT INTO forward_queue (project_id, body, size, queued_at) VALUES (?, ?, ?, ?)'),
      totals: db.prepare<[], { n: number; bytes: number }>('SELECT count(*) AS n, total(size) AS bytes FROM forward_queue'),
      oldest: db.prepare<[number], { id: number; project_id: number; size: number }>(
        'SELECT id, project_id, size FROM forward_queue ORDER BY id LIMIT ?',
      ),
      delete: db.prepare('DELETE FROM forward_queue WHERE id = ?'),
      ensureState: db.prepare('INSERT OR IGNORE INTO forward_state (project_id) VALUES (?)'),
      countOverflow: db.prepare('UPDATE forward_state SET dropped_overflow = dropped_overflow + 1 WHERE project_id = ?'),
      // The oldest row of each project that is not waiting: one envelope per upstream at a time, in order.
      due: db.prepare<[number], { id: number; project_id: number; body: Buffer; attempts: number; upstream_dsn: string }>(
        `SELECT q.id, q.project_id, q.body, q.attempts, p.upstream_dsn
           FROM forward_queue q
           JOIN projects p ON p.id = q.project_id AND p.upstream_dsn IS NOT NULL
           LEFT JOIN forward_state s ON s.project_id = q.project_id
          WHERE q.id = (SELECT min(id) FROM forward_queue WHERE project_id = q.project_id)
            AND coalesce(s.retry_at, 0) <= ?
          ORDER BY q.id`,
      ),
      nextRetry: db.prepare<[], { at: number | null }>(
        `SELECT min(s.retry_at) AS at FROM forward_state s
           JOIN projects p ON p.id = s.project_id AND p.upstream_dsn IS NOT NULL
          WHERE s.retry_at IS NOT NULL AND EXISTS (SELECT 1 FROM forward_queue q WHERE q.project_id = s.project_id)`,
      ),
      delivered: db.prepare(
        `UPDATE forward_state SET delivered = delivered + 1, last_delivered_at = ?, failures = 0, retry_at = ? WHERE project_id = ?`,
      ),
      rejected: db.prepare(
        `UPDATE forward_state SET dropped_rejected = dropped_rejected + 1, last_error = ?, last_error_at = ?, retry_at = NULL WHERE project_id = ?`,
      ),
      failed: db.prepare(
        `UPDATE forward_state SET failures = failures + ?, last_error = ?, last_error_at = ?, retry_at = ? WHERE project_id = ?`,
      ),
      attempted: db.prepare('UPDATE forward_queue SET attempts = attempts + 1 WHERE id = ?'),
      failures: db.prepare<[number], { failures: number }>('SELECT failures FROM forward_state WHERE project_id = ?'),
      state: db.prepare<[number], StateRow>('SELECT * FROM forward_state WHERE project_id = ?'),
      projectQueue: db.prepare<[number], { n: number; bytes: number; oldest: number | null }>(
        'SELECT count(*) AS n, total(size) AS bytes, min(queued_at) AS oldest FROM forward_queue WHERE project_id = ?',
      ),
      clear: db.prepare('DELETE FROM forward_queue WHERE project_id = ?'),
      resetState: db.prepare('UPDATE forward_state SET failures = 0, retry_at = NULL WHERE project_id = ?'),
    };
  }

  /** The bounds, read on every enqueue (a setting the user may change). */
  useLimits(limits: () => QueueLimits): void {
    this.limits = limits;
  }

  /** Called after rows were added (inside the transaction: listeners must only schedule work). */
  onEnqueued(listener: () => void): void {
    this.listener = listener;
  }

  /** Inside the ingest transaction: queues the envelopes, then drops the oldest past the bounds. */
  enqueue(envelopes: readonly { projectId: number; body: Buffer }[], now: number): void {
    const s = this.statements;
    for (const { projectId, body } of envelopes) {
      s.ensureState.run(projectId);
      s.insert.run(projectId, body, body.length, now);
    }
    this.trim();
    this.listener();
  }

  private trim(): void {
    const s = this.statements;
    const { maxEnvelopes, maxBytes } = this.limits();
    const totals = s.totals.get() ?? { n: 0, bytes: 0 };
    let count = totals.n;
    let bytes = totals.bytes;
    // Keep at least the newest envelope, however large: the bounds are for the backlog.
    while (count > 1 && (count > maxEnvelopes || bytes > maxBytes)) {
      const oldest = s.oldest.all(Math.min(256, count - 1));
      for (const row of oldest) {
        if (count <= maxEnvelopes && bytes <= maxBytes) break;
        s.delete.run(row.id);
        s.countOverflow.run(row.project_id);
        count--;
        bytes -= row.size;
      }
    }
  }

  /** The next envelope of each upstream that may be sent now. */
  due(now: number): QueuedEnvelope[] {
    return this.statements.due.all(now).map((row) => ({
      id: row.id,
      projectId: row.project_id,
      body: row.body,
      attempts: row.attempts,
      upstreamDsn: row.upstream_dsn,
    }));
  }

  /** The earliest time a waiting project may send again (seconds), or null if none waits. */
  nextRetryAt(): number | null {
    return this.statements.nextRetry.get()?.at ?? null;
  }

  failuresOf(projectId: number): number {
    return this.statements.failures.get(projectId)?.failures ?? 0;
  }

  markDelivered(envelope: QueuedEnvelope, now: number, pauseUntil: number | null): void {
    this.db.transaction(() => {
      this.statements.delete.run(envelope.id);
      this.statements.delivered.run(now, pauseUntil, envelope.projectId);
    })();
  }

  markRejected(envelope: QueuedEnvelope, reason: string, now: number): void {
    this.db.transaction(() => {
      this.statements.delete.run(envelope.id);
      this.statements.rejected.run(reason, now, envelope.projectId);
    })();
  }

  /** Not sent; kept for later. `countsAsFailure` is false for a rate limit (it is not the upstream failing). */
  markRetry(envelope: QueuedEnvelope, reason: string, now: number, retryAt: number, countsAsFailure: boolean): void {
    this.db.transaction(() => {
      this.statements.attempted.run(envelope.id);
      this.statements.failed.run(countsAsFailure ? 1 : 0, reason, now, retryAt, envelope.projectId);
    })();
  }

  /** Forwarding turned off: what waited for the old upstream is not sent anywhere. */
  clearProject(projectId: number): void {
    this.db.transaction(() => {
      this.statements.clear.run(projectId);
      this.statements.resetState.run(projectId);
    })();
  }

  /** A new upstream: send at once instead of waiting out the old one's backoff. */
  resetBackoff(projectId: number): void {
    this.statements.resetState.run(projectId);
  }

  status(projectId: number): ForwardingStatus | null {
    const state = this.statements.state.get(projectId);
    if (!state) return null;
    const queue = this.statements.projectQueue.get(projectId) ?? { n: 0, bytes: 0, oldest: null };
    return {
      queued: queue.n,
      queuedBytes: queue.bytes,
      oldestQueuedAt: queue.oldest === null ? null : iso(queue.oldest),
      delivered: state.delivered,
      lastDeliveredAt: state.last_delivered_at === null ? null : iso(state.last_delivered_at),
      droppedOverflow: state.dropped_overflow,
      droppedRejected: state.dropped_rejected,
      lastError: state.last_error === null || state.last_error_at === null ? null : { at: iso(state.last_error_at), message: state.last_error },
      retryAt: state.retry_at === null || queue.n === 0 ? null : iso(state.retry_at),
    };
  }
}
