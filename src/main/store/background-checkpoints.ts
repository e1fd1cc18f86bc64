/**
 * WAL checkpoints on a worker thread, so the ingest thread never waits for their fsyncs.
 *
 * A checkpoint copies the WAL into the database file and fsyncs both (4–5 ms each on the disk
 * this was measured on). Run by SQLite's auto-checkpoint on the ingest thread, every ~40
 * single-event commits stalled the event loop for ~10 ms: at 400 events/s that was the p99
 * (14–15 ms with checkpoints, 5.6–6.7 ms without; BENCHMARKS.md). Here a second connection on a
 * worker runs PASSIVE checkpoints, which never block the writer, and SQLite restarts the WAL
 * from its start whenever a checkpoint has caught up with the last commit.
 *
 * The worker (an isolate of its own, ~10 MB of RSS) runs only while ingest commits quickly: it
 * starts once commits come at WAKE_COMMITS_PER_SECOND, and stops after IDLE_STOP_MS without
 * one. Between, SQLite's auto-checkpoint on the main connection keeps the WAL in check: at a few
 * commits a second its ~10 ms stall every FOREGROUND_AUTOCHECKPOINT_PAGES pages is rare.
 *
 * The worker's code is a string evaluated by the worker: it must load the same way from the
 * sources under test and from the bundle, with no file of its own to build or ship.
 * If the worker cannot start or dies, SQLite's auto-checkpoint on the main connection takes over.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

type Db = Database.Database;

/** What SQLite's auto-checkpoint did before (and does again if the worker is lost). */
export const FOREGROUND_AUTOCHECKPOINT_PAGES = 500;
/**
 * At most one checkpoint per this many ms, each covering what came since the last. A page that
 * several commits rewrote (an issue's row, an index's last leaf) is copied once per checkpoint,
 * and each checkpoint pays two fsyncs whatever it copies. At 400 events/s (paired runs, latency
 * probe): 100 ms against 50 cut the worker's checkpoint time by 4–35% and COMMITs over 3 ms
 * from 44 to 31–41; 200 ms cut both further, but its longer checkpoints rarely caught up with
 * the last commit, the WAL passed MAX_WAL_BYTES and the ingest thread ran RESTARTs (8–30 ms).
 */
const MIN_INTERVAL_MS = 100;
/** The worker starts when this many ingest commits come within a second. */
export const WAKE_COMMITS_PER_SECOND = 20;
/** The worker stops after this long without an ingest commit. */
export const IDLE_STOP_MS = 10_000;
/**
 * SQLite restarts the WAL from its start only when a checkpoint has copied every frame; under
 * steady commits a checkpoint on another thread rarely catches up with the last one, so the WAL
 * keeps growing (286 MB in 15 s at 400 events/s). Once the file passes this size, the ingest
 * thread runs one RESTART checkpoint itself: a ~10 ms stall every ~3 s at 400 events/s instead
 * of every 100 ms, and a bounded file. 256 MB made the stalls rarer but ~200 ms long (p99 at
 * 400/s 200–206 ms in 2 of 3 runs, BENCHMARKS.md).
 */
export const MAX_WAL_BYTES = 64 * 1024 * 1024;

/** The database's journal_size_limit: a restarted WAL is cut back to this size. */
export const WAL_SIZE_LIMIT_BYTES = MAX_WAL_BYTES;

export interface CheckpointOptions {
  warn?: (message: string) => void;
  /** See MAX_WAL_BYTES; smaller in tests. */
  maxWalBytes?: number;
  /** See WAKE_COMMITS_PER_SECOND; 0 starts the worker at once. */
  wakeCommitsPerSecond?: number;
  /** See IDLE_STOP_MS. */
  idleStopMs?: number;
}
/** How long stopping waits for the worker to close its connection. */
const STOP_TIMEOUT_MS = 5_000;

interface WorkerData {
  driver: string;
  file: string;
  closed: SharedArrayBuffer;
}

type WorkerReply = { ok: true } | { ok: false; reason: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const closed = new Int32Array(workerData.closed);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -256');
parentPort.on('message', (message) => {
  if (message === 'stop') {
    try { db.close(); } finally { Atomics.store(closed, 0, 1); Atomics.notify(closed, 0); parentPort.close(); }
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, reason: String(error && error.message).split('\\n')[0] });
  }
});
`;

/** One worker thread and its connection. */
class CheckpointWorker {
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  readonly thread: Worker;

  constructor(driver: string, file: string, onReply: (reply: WorkerReply) => void, onLost: (reason: string) => void) {
    const workerData: WorkerData = { driver, file, closed: this.closed.buffer as SharedArrayBuffer };
    this.thread = new Worker(WORKER_SOURCE, { eval: true, workerData, stdout: false, stderr: false });
    this.thread.unref();
    this.thread.on('message', onReply);
    this.thread.on('error', (error) => onLost(`checkpoint worker failed: ${error.message.split('\n')[0]}`));
    this.thread.on('exit', () => onLost('checkpoint worker exited'));
  }

  checkpoint(): void {
    this.thread.postMessage('checkpoint');
  }

  /**
   * Synchronous: the worker closes its connection before this returns, so that on a clean close
   * the main connection is the last one, and SQLite checkpoints and deletes the WAL when it closes.
   */
  stop(warn: (message: string) => void): void {
    this.thread.removeAllListeners('exit');
    this.thread.removeAllListeners('error');
    this.thread.removeAllListeners('message');
    // An error after this (the worker going away) is no news.
    this.thread.on('error', () => undefined);
    this.thread.postMessage('stop');
    if (Atomics.wait(this.closed, 0, 0, STOP_TIMEOUT_MS) === 'timed-out') {
      warn(`checkpoint worker did not close its connection in ${STOP_TIMEOUT_MS} ms`);
      void this.thread.terminate();
    }
  }
}

export class BackgroundCheckpoints {
  private worker: CheckpointWorker | null = null;
  /** The worker failed or the store closed: SQLite's auto-checkpoint from now on. */
  private done = false;
  private inFlight = false;
  private lastFailure: string | null = null;
  private writtenSince = false;
  private lastStarted = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the last wakeCommits − 1 commits were made, oldest first from `nextCommit` (0: none yet). */
  private readonly commitTimes: Float64Array;
  private nextCommit = 0;

  private readonly warn: (message: string) => void;
  private readonly maxWalBytes: number;
  private readonly wakeCommits: number;
  private readonly idleStopMs: number;
  private readonly walFile: string;
  private readonly driver: string;

  private constructor(
    private readonly db: Db,
    private readonly file: string,
    options: CheckpointOptions,
  ) {
    this.warn = options.warn ?? (() => undefined);
    this.maxWalBytes = options.maxWalBytes ?? MAX_WAL_BYTES;
    this.wakeCommits = options.wakeCommitsPerSecond ?? WAKE_COMMITS_PER_SECOND;
    this.idleStopMs = options.idleStopMs ?? IDLE_STOP_MS;
    this.commitTimes = new Float64Array(Math.max(0, this.wakeCommits - 1));
    this.walFile = `${file}-wal`;
    this.driver = createRequire(import.meta.url).resolve('better-sqlite3');
  }

  /**
   * Checkpoints for `db` (opened on `file`, in WAL mode); null keeps SQLite's auto-checkpoint.
   * The worker starts at once with `wakeCommitsPerSecond: 0`, otherwise when commits come quickly.
   */
  static start(db: Db, file: string, options: CheckpointOptions = {}): BackgroundCheckpoints | null {
    if (file === ':memory:' || file === '') return null;
    try {
      const checkpoints = new BackgroundCheckpoints(db, file, options);
      if (checkpoints.wakeCommits === 0) checkpoints.startWorker();
      return checkpoints;
    } catch (error) {
      options.warn?.(`checkpoints stay on the main thread: ${(error as Error).message}`);
      return null;
    }
  }

  /** Whether the worker runs now (it starts and stops with the rate of commits). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Called after each commit: schedules a checkpoint of what it wrote (at most one per MIN_INTERVAL_MS). */
  afterWrite(): void {
    if (this.done) return;
    if (!this.worker && !this.wake()) return;
    this.writtenSince = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.inFlight || this.timer || this.immediate) return;
    const wait = this.lastStarted + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      // Not from inside the batch: its replies are written first (they wait on this turn's microtasks).
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.request();
      });
    } else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.request();
      }, wait);
      this.timer.unref();
    }
  }

  /** For a clean close: stops the worker for good (see CheckpointWorker.stop). */
  stop(): void {
    this.done = true;
    this.cancelScheduled();
    const worker = this.worker;
    this.worker = null;
    worker?.stop(this.warn);
  }

  /** Starts the worker when this commit and the wakeCommits − 1 before it came within a second. True once it runs. */
  private wake(): boolean {
    const now = Date.now();
    if (this.commitTimes.length > 0) {
      const oldest = this.commitTimes[this.nextCommit] ?? 0;
      this.commitTimes[this.nextCommit] = now;
      this.nextCommit = (this.nextCommit + 1) % this.commitTimes.length;
      if (oldest === 0 || now - oldest >= 1_000) return false;
    }
    try {
      this.startWorker();
      return true;
    } catch (error) {
      this.lose(`checkpoint worker failed to start: ${(error as Error).message.split('\n')[0]}`);
      return false;
    }
  }

  private startWorker(): void {
    this.worker = new CheckpointWorker(this.driver, this.file, (reply) => this.onReply(reply), (reason) => this.lose(reason));
    this.inFlight = false;
    this.db.pragma('wal_autocheckpoint = 0');
  }

  /** No commit for idleStopMs: the worker goes, and SQLite's auto-checkpoint is back. */
  private sleep(): void {
    this.idleTimer = null;
    const worker = this.worker;
    if (!worker || this.inFlight || this.writtenSince) return;
    this.worker = null;
    // Only commits from now on count towards the next start.
    this.commitTimes.fill(0);
    worker.stop(this.warn);
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${FOREGROUND_AUTOCHECKPOINT_PAGES}`);
  }

  /** Runs while the worker is idle: the WAL size is looked at here, not after every commit. */
  private request(): void {
    if (!this.worker || !this.writtenSince) return;
    // The worker is idle, so a RESTART here is not refused as busy.
    if (walBytes(this.walFile) > this.maxWalBytes) this.restart();
    this.writtenSince = false;
    this.inFlight = true;
    this.lastStarted = Date.now();
    this.worker.checkpoint();
  }

  private onReply(reply: WorkerReply): void {
    this.inFlight = false;
    // A full disk fails every checkpoint until space is freed: say so once, not 10 times a second.
    const failure = reply.ok ? null : reply.reason;
    if (failure !== null && failure !== this.lastFailure) this.warn(`background checkpoint failed: ${failure}`);
    this.lastFailure = failure;
    if (this.writtenSince) this.afterWrite();
    else if (!this.idleTimer) {
      this.idleTimer = setTimeout(() => this.sleep(), this.idleStopMs);
      this.idleTimer.unref();
    }
  }

  /**
   * Checkpoints everything on this thread; the next commit then starts the WAL over. It never
   * throws: a failure (a full disk) is reported once and retried when the WAL is next found over
   * its size, as is a RESTART that found a reader still on the WAL.
   */
  private restart(): void {
    try {
      this.db.pragma('wal_checkpoint(RESTART)');
      this.lastFailure = null;
    } catch (error) {
      const failure = (error as Error).message.split('\n')[0] ?? '';
      if (failure !== this.lastFailure) this.warn(`WAL restart failed: ${failure}`);
      this.lastFailure = failure;
    }
  }

  private cancelScheduled(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.timer = null;
    this.immediate = null;
    this.idleTimer = null;
  }

  private lose(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.worker = null;
    this.cancelScheduled();
    this.warn(`${reason}; checkpoints run on the main thread again`);
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${FOREGROUND_AUTOCHECKPOINT_PAGES}`);
  }
}

function walBytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
