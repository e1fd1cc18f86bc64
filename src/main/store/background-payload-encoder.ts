/**
 * Payload compression on a worker thread while ingest is saturated, so the ingest thread only
 * reads requests, groups and commits (issue 14). Deflating a 5 KB event costs the ingest thread
 * 52–70 µs inline and 4–8 µs through the worker in batches of 10–50 (the worker does the rest on
 * the other core), ~13% of the ingest thread's time at full load. The pipeline waits for a
 * batch's payloads before it commits, so an acknowledged event is still committed, and batches
 * stay in order.
 *
 * The worker deflates with payload-codec's own options (passed in), so what it writes is read
 * back by decodePayload like any payload. Its code is a string evaluated by the worker, as for
 * background-checkpoints.ts: it loads the same way from the sources under test and the bundle.
 * If the worker cannot start or fails, payloads are compressed on the calling thread again.
 */
import { Worker } from 'node:worker_threads';
import { DEFLATE_OPTIONS, encodePayload } from './payload-codec';

export interface PayloadEncoder {
  /** The stored form of each payload, in order. */
  encode(payloads: readonly string[]): Promise<Buffer[]>;
  close(): Promise<void>;
}

/** Compresses on the calling thread: the fallback, and what tests and tools use. */
export const inlinePayloadEncoder: PayloadEncoder = {
  encode: (payloads) => Promise.resolve(payloads.map(encodePayload)),
  close: () => Promise.resolve(),
};

interface Request {
  id: number;
  payloads: readonly string[];
}

/** All of a batch's payloads in one transferred buffer, each an [offset, length] of it. */
interface Reply {
  id: number;
  bytes: ArrayBuffer;
  spans: [number, number][];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateSync } = require('node:zlib');
const options = { level: workerData.level, dictionary: Buffer.from(workerData.dictionary) };
parentPort.on('message', ({ id, payloads }) => {
  const parts = payloads.map((payload) => deflateSync(payload, options));
  const bytes = Buffer.concat(parts);
  const spans = [];
  let offset = 0;
  for (const part of parts) { spans.push([offset, part.length]); offset += part.length; }
  const owned = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  parentPort.postMessage({ id, bytes: owned, spans }, [owned]);
});
`;

/**
 * A young generation a quarter of the main thread's (scripts/bench/server-flags.mjs): the worker
 * holds one batch's strings at a time.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1 };

/**
 * The worker costs 6–8 MB of RSS idle and 10–18 MB at full load, so it runs only while ingest is
 * saturated: a batch this large means requests queued while the last one was committed. At a
 * steady few hundred events/s batches hold one or two events and everything stays inline.
 */
const SATURATED_BATCH = 8;
/** A worker that got no saturated batch for this long is stopped and its memory returned. */
const IDLE_STOP_MS = 15_000;

export interface EncoderOptions {
  warn?: (message: string) => void;
  /** See SATURATED_BATCH; 1 in tests. */
  saturatedBatch?: number;
  /** See IDLE_STOP_MS. */
  idleStopMs?: number;
}

export class BackgroundPayloadEncoder implements PayloadEncoder {
  private worker: Worker | null = null;
  private online: Promise<void> | null = null;
  private isOnline = false;
  private failed = false;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { payloads: readonly string[]; resolve: (buffers: Buffer[]) => void }>();
  private readonly warn: (message: string) => void;
  private readonly saturatedBatch: number;
  private readonly idleStopMs: number;

  constructor(options: EncoderOptions = {}) {
    this.warn = options.warn ?? (() => undefined);
    this.saturatedBatch = options.saturatedBatch ?? SATURATED_BATCH;
    this.idleStopMs = options.idleStopMs ?? IDLE_STOP_MS;
  }

  encode(payloads: readonly string[]): Promise<Buffer[]> {
    if (payloads.length >= this.saturatedBatch) this.keepWorker();
    // Until the worker runs (~30 ms after it is asked for), batches are compressed inline.
    if (!this.worker || !this.isOnline || payloads.length === 0) return inlinePayloadEncoder.encode(payloads);
    const request: Request = { id: this.nextId++, payloads };
    return new Promise((resolve) => {
      this.waiting.set(request.id, { payloads, resolve });
      this.worker?.postMessage(request);
    });
  }

  /** Resolves once a worker runs: for tests and tools that want the worker path at once. */
  whenOnline(): Promise<void> {
    this.keepWorker();
    return this.online ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopWorker();
  }

  private keepWorker(): void {
    if (this.failed || this.closed) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stopWorker(), this.idleStopMs);
    this.idleTimer.unref();
    if (!this.worker) this.startWorker();
  }

  private startWorker(): void {
    const workerData = { level: DEFLATE_OPTIONS.level, dictionary: new Uint8Array(DEFLATE_OPTIONS.dictionary) };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData, stdout: false, stderr: false, resourceLimits: WORKER_LIMITS });
    } catch (error) {
      this.failed = true;
      this.warn(`payloads are compressed on the ingest thread: ${(error as Error).message}`);
      return;
    }
    this.worker = worker;
    worker.unref();
    this.online = new Promise((resolve) => worker.once('online', resolve)).then(() => {
      if (this.worker === worker) this.isOnline = true;
    });
    worker.on('message', (reply: Reply) => this.onReply(reply));
    worker.on('error', (error) => this.fallBack(worker, `payload encoder failed: ${error.message.split('\n')[0]}`));
    worker.on('exit', () => this.fallBack(worker, 'payload encoder exited'));
  }

  private async stopWorker(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    this.isOnline = false;
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    await worker.terminate();
    // Nothing waits when the pipeline has drained; anything that does gets its payloads here.
    this.compressWaitingInline();
  }

  private onReply({ id, bytes, spans }: Reply): void {
    const entry = this.waiting.get(id);
    if (!entry) return;
    this.waiting.delete(id);
    entry.resolve(spans.map(([offset, length]) => Buffer.from(bytes, offset, length)));
  }

  /** A worker that failed is not started again: its batches, and all later ones, go inline. */
  private fallBack(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.isOnline = false;
    this.failed = true;
    this.warn(`${reason}; payloads are compressed on the ingest thread again`);
    this.compressWaitingInline();
  }

  private compressWaitingInline(): void {
    for (const [id, { payloads, resolve }] of this.waiting) {
      this.waiting.delete(id);
      resolve(payloads.map(encodePayload));
    }
  }
}
