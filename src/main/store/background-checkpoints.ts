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
/** At most one checkpoint per this many ms: ~20 a second, each covering what came since the last. */
const MIN_INTERVAL_MS = 50;
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
}
/** How long `stop()` waits for the worker to close its connection. */
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

export class BackgroundCheckpoints {
  private worker: Worker | null;
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private inFlight = false;
  private lastFailure: string | null = null;
  private writtenSince = false;
  private lastStarted = 0;
  private timer: NodeJS.Timeout | null = null;

  private readonly warn: (message: string) => void;
  private readonly maxWalBytes: number;
  private readonly walFile: string;

  private constructor(
    private readonly db: Db,
    file: string,
    options: CheckpointOptions,
  ) {
    this.warn = options.warn ?? (() => undefined);
    this.maxWalBytes = options.maxWalBytes ?? MAX_WAL_BYTES;
    this.walFile = `${file}-wal`;
    const workerData: WorkerData = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, closed: this.closed.buffer as SharedArrayBuffer };
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData, stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.fallBack(`checkpoint worker failed: ${error.message.split('\n')[0]}`));
    this.worker.on('exit', () => this.fallBack('checkpoint worker exited'));
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Starts the worker for `db` (opened on `file`, in WAL mode); null keeps SQLite's auto-checkpoint. */
  static start(db: Db, file: string, options: CheckpointOptions = {}): BackgroundCheckpoints | null {
    if (file === ':memory:' || file === '') return null;
    try {
      return new BackgroundCheckpoints(db, file, options);
    } catch (error) {
      options.warn?.(`checkpoints stay on the main thread: ${(error as Error).message}`);
      return null;
    }
  }

  /** Called after each commit: schedules a checkpoint of what it wrote (at most one per MIN_INTERVAL_MS). */
  afterWrite(): void {
    if (!this.worker) return;
    this.writtenSince = true;
    if (this.inFlight || this.timer) return;
    const wait = this.lastStarted + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) this.request();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.request();
      }, wait);
      this.timer.unref();
    }
  }

  /**
   * Synchronous, for a clean close: the worker closes its connection first, so that the main
   * connection is the last one and SQLite checkpoints and deletes the WAL when it closes.
   */
  stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    worker.removeAllListeners('exit');
    worker.postMessage('stop');
    if (Atomics.wait(this.closed, 0, 0, STOP_TIMEOUT_MS) === 'timed-out') {
      this.warn(`checkpoint worker did not close its connection in ${STOP_TIMEOUT_MS} ms`);
      void worker.terminate();
    }
  }

  /** Runs while the worker is idle: the WAL size is looked at here, not after every commit. */
  private request(): void {
    if (!this.worker || !this.writtenSince) return;
    // The worker is idle, so a RESTART here is not refused as busy.
    if (walBytes(this.walFile) > this.maxWalBytes) this.restart();
    this.writtenSince = false;
    this.inFlight = true;
    this.lastStarted = Date.now();
    this.worker.postMessage('checkpoint');
  }

  private onReply(reply: WorkerReply): void {
    this.inFlight = false;
    // A full disk fails every checkpoint until space is freed: say so once, not 20 times a second.
    const failure = reply.ok ? null : reply.reason;
    if (failure !== null && failure !== this.lastFailure) this.warn(`background checkpoint failed: ${failure}`);
    this.lastFailure = failure;
    if (this.writtenSince) this.afterWrite();
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

  private fallBack(reason: string): void {
    if (!this.worker) return;
    this.worker = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.warn(`${reason}; checkpoints run on the main thread again`);
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${FOREGROUND_AUTOCHECKPOINT_PAGES}`);
  }
}

function walBytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
