/**
 * What ingest does once the database cannot take a write (a full disk, a file-size or quota
 * limit, a read-only file, an I/O error): it refuses every ingest for STORAGE_RETRY_MS without
 * touching the database, then lets the next batch through as the probe. A probe that commits
 * ends the refusal; one that fails starts the wait again.
 *
 * Without the wait, each request tried its own write, and the answers flipped between 503 and
 * 200 as the WAL checkpoint, other programs or retention freed a few pages: events were kept or
 * dropped at random, and every refused request paid for a failed transaction. With it, an SDK
 * sees one answer (503 with Retry-After) until the space is back, and ingest resumes by itself
 * within STORAGE_RETRY_MS of space being freed, with no restart.
 */

/** How long ingest stays refused after a failed write before the next batch tries again. */
export const STORAGE_RETRY_MS = 10_000;

export interface Refusal {
  reason: string;
  /** Whole seconds until the next batch will try to write (at least 1): the Retry-After. */
  retryAfterSeconds: number;
}

export class StorageRefusal {
  private reason: string | null = null;
  private until = 0;

  constructor(
    private readonly retryMs = STORAGE_RETRY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The refusal in force, or null when a write may be tried (none, or its wait is over). */
  current(): Refusal | null {
    if (this.reason === null) return null;
    const left = this.until - this.now();
    if (left <= 0) return null;
    return { reason: this.reason, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
  }

  /** A write failed for `reason`: refuse until the wait is over. True when ingest was writable before. */
  failed(reason: string): boolean {
    const began = this.reason === null;
    this.reason = reason;
    this.until = this.now() + this.retryMs;
    return began;
  }

  /** A write committed: the refusal (if any) is over. True when this ended one. */
  succeeded(): boolean {
    const ended = this.reason !== null;
    this.reason = null;
    return ended;
  }
}
