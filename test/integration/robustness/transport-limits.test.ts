/**
 * Limits on the wire through a real server: oversized bodies, decompression bombs, stalled
 * uploads and connection floods. Each is refused or cut off, the server keeps serving, and the
 * stored data is exactly what it was.
 */
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync, constants, createBrotliCompress, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_LIMITS } from '../../../src/main/ingest/ingest-sink';
import { buildEnvelope, errorEvent, randomHex, startHarness, type Harness } from '../../support/core-harness';
import { storeFacts, type StoreFacts } from './store-facts';

let harness: Harness;
let baseline: StoreFacts;
const MB = 1024 * 1024;

const envelopeUrl = (): string => `${harness.core.url}/api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey}`;

async function postRaw(body: Buffer | Readable, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(envelopeUrl(), {
    method: 'POST',
    headers,
    body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body,
    ...(body instanceof Readable && { duplex: 'half' }),
  } as RequestInit);
  return { status: response.status, json: await response.json(), headers: response.headers };
}

async function expectServing(): Promise<void> {
  const eventId = randomHex();
  const response = await fetch(envelopeUrl(), { method: 'POST', body: buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ eventId, fn: 'canary' }) }]) });
  expect(response.status).toBe(200);
  baseline = { ...baseline, events: baseline.events + 1, countedEvents: baseline.countedEvents + 1 };
  expect(storeFacts(harness.dataDir)).toMatchObject({ events: baseline.events, countedEvents: baseline.countedEvents });
}

/** A valid envelope whose event is padded past `size` bytes with a breadcrumb-sized string. */
function envelopeOfSize(size: number): Buffer {
  return Buffer.from(buildEnvelope({}, [{ header: { type: 'event' }, payload: { ...errorEvent({}), extra: { pad: 'p'.repeat(size) } } }]));
}

/** Shorter than the default 30 s so the stalled upload is cut sooner; the other uploads take well under it. */
const REQUEST_TIMEOUT_MS = 10_000;

beforeAll(async () => {
  harness = await startHarness(undefined, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  baseline = storeFacts(harness.dataDir);
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

describe('oversized bodies', () => {
  it('refuses a body over the raw limit with 413 from its Content-Length, without buffering it', async () => {
    const body = Buffer.alloc(DEFAULT_INGEST_LIMITS.maxRawBytes + 1, 0x61);
    const answer = await postRaw(body);
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ detail: `body is ${body.length} bytes, over the limit of ${DEFAULT_INGEST_LIMITS.maxRawBytes}` });
    await expectServing();
  });

  it('refuses a chunked body (no Content-Length) once it streams past the raw limit', async () => {
    const chunk = Buffer.alloc(MB, 0x61);
    let sent = 0;
    const stream = new Readable({
      read() {
        sent += chunk.length;
        this.push(sent > 64 * MB ? null : chunk);
      },
    });
    const answer = await postRaw(stream);
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ detail: expect.stringMatching(/^body is \d+ bytes, over the limit of 20971520$/) });
    await expectServing();
  });

  it('an envelope within the body limit but with an event over 1 MB drops that event', async () => {
    const answer = await postRaw(envelopeOfSize(DEFAULT_INGEST_LIMITS.maxEventBytes + 10));
    expect(answer).toMatchObject({ status: 200, json: {} });
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: baseline.events });
  });

  it('the store endpoint answers 413 for a single event over 1 MB', async () => {
    const response = await fetch(`${harness.core.url}/api/${harness.project.id}/store/?sentry_key=${harness.project.publicKey}`, {
      method: 'POST',
      body: JSON.stringify({ ...errorEvent({}), extra: { pad: 'p'.repeat(DEFAULT_INGEST_LIMITS.maxEventBytes) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ detail: expect.stringMatching(/^event is \d+ bytes, over the limit of 1048576$/) });
  });
});

describe('decompression bombs are stopped while streaming', () => {
  it('gzip: 4 MB on the wire expanding to 4 GB is refused at the 100 MB cap', async () => {
    // Concatenated gzip members decode as one stream: 64 copies of 64 MB of zeros.
    const member = gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(DEFAULT_INGEST_LIMITS.maxRawBytes);
    const answer = await postRaw(bomb, { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ detail: `decompressed body passed the limit of ${DEFAULT_INGEST_LIMITS.maxDecompressedBytes} bytes` });
    await expectServing();
  }, 30_000);

  it('brotli: ~200 KB expanding to 1 GB is refused at the 100 MB cap', async () => {
    const bomb = await brotliOfZeros(1024 * MB);
    expect(bomb.length).toBeLessThan(MB);
    const answer = await postRaw(bomb, { 'content-encoding': 'br' });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ detail: `decompressed body passed the limit of ${DEFAULT_INGEST_LIMITS.maxDecompressedBytes} bytes` });
    await expectServing();
  }, 60_000);

  it('a body that is not what its Content-Encoding says is a 400, an unknown coding a 415', async () => {
    const notGzip = await postRaw(Buffer.from(buildEnvelope({}, [])), { 'content-encoding': 'gzip' });
    expect(notGzip.status).toBe(400);
    expect(notGzip.json).toEqual({ detail: expect.stringMatching(/^body could not be decoded as gzip: /) });
    const unknown = await postRaw(Buffer.from('x'), { 'content-encoding': 'lzma' });
    expect(unknown).toMatchObject({ status: 415, json: { detail: 'unsupported Content-Encoding "lzma"' } });
    const fine = await postRaw(brotliCompressSync(Buffer.from(buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({}) }]))), { 'content-encoding': 'br' });
    expect(fine.status).toBe(200);
    baseline = { ...baseline, events: baseline.events + 1, countedEvents: baseline.countedEvents + 1 };
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: baseline.events });
  });
});

describe('stalled uploads and connection floods', () => {
  it('cuts off an upload that stalls halfway, and serves others meanwhile', async () => {
    const socket = await openSocket();
    const head = buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ fn: 'stalled' }) }]);
    socket.write(
      `POST /api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Content-Length: ${head.length + 1000}\r\n\r\n${head}`,
    );
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // While that upload hangs, the server answers everyone else.
    await expectServing();
    // Fastify's requestTimeout/connectionTimeout (REQUEST_TIMEOUT_MS here, checked by Node every quarter of it) end it.
    await closed;
    const answer = Buffer.concat(received).toString();
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: baseline.events, countedEvents: baseline.countedEvents });
    await expectServing();
  }, 60_000);

  it('refuses connections past its maximum without falling over', async () => {
    const sockets: Socket[] = [];
    let closedByServer = 0;
    try {
      for (let n = 0; n < 1100; n++) {
        const socket = await openSocket();
        socket.on('close', () => closedByServer++);
        sockets.push(socket);
      }
      // Node drops connections over server.maxConnections (1024) as soon as they arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(closedByServer).toBeGreaterThanOrEqual(1100 - 1024);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectServing();
  }, 30_000);
});

function openSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(harness.core.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Brotli of `size` zero bytes, compressed as a stream so the test never holds them in memory. */
async function brotliOfZeros(size: number): Promise<Buffer> {
  const block = Buffer.alloc(4 * MB);
  const compressor = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: size } });
  const output: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => output.push(chunk));
  const done = new Promise((resolve) => compressor.on('end', resolve));
  for (let written = 0; written < size; written += block.length) {
    if (!compressor.write(block)) await new Promise((resolve) => compressor.once('drain', resolve));
  }
  compressor.end();
  await done;
  return Buffer.concat(output);
}
