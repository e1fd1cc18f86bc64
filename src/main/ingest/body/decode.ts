/**
 * Reads a request body as bytes, undoing its Content-Encoding with node:zlib streams. Both caps
 * are enforced while the bytes flow: reading stops as soon as the raw or the decoded size passes
 * its limit, so a small compressed bomb never expands in memory.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable, finished, pipeline, type Transform, type TransformOptions } from 'node:stream';
import * as zlib from 'node:zlib';
import type { IngestLimits } from '../ingest-sink';
import { IngestHttpError } from './body-error';

type Stage = (source: AsyncIterable<Buffer>) => AsyncIterable<Buffer>;

/**
 * How long a refused body is still read (and discarded) before the answer goes out. Answering
 * and closing while the client is still sending makes its kernel reset the connection, and the
 * client loses the 413 (EPIPE); reading the rest first, within a bound, is the "lingering
 * close" web servers do.
 */
const LINGER_MS = 2_000;

/**
 * How much each decoding stage buffers ahead of the size check: stream defaults differ by Node
 * version (16 KiB until Node 22, 64 KiB since), and at 64 KiB a decoder swallowed a whole small
 * bomb before the cap could stop it. Explicit, the cap holds alike on every supported runtime.
 */
const STAGE_HIGH_WATER_MARK = 16 * 1024;
// zlib hands its options on to the Transform it is, where highWaterMark applies.
const DECODER_OPTIONS: zlib.ZlibOptions & zlib.BrotliOptions & TransformOptions = { highWaterMark: STAGE_HIGH_WATER_MARK };

/** Values some SDKs send that mean "not compressed". */
const NO_ENCODING = new Set(['', 'identity', 'utf-8', 'utf8']);

export async function readRequestBody(
  payload: Readable,
  headers: IncomingHttpHeaders,
  limits: Pick<IngestLimits, 'maxRawBytes' | 'maxDecompressedBytes'>,
): Promise<Buffer> {
  const stages = decodingStages(headers['content-encoding']);
  const declared = Number(headers['content-length']);
  if (declared > limits.maxRawBytes) {
    await discardRest(payload);
    throw tooLarge('body', declared, limits.maxRawBytes);
  }
  if (stages.length === 0) return readPlain(payload, limits);
  // The request must not be destroyed on an early stop: that would close the socket before the
  // answer is sent. Fastify answers errors with `Connection: close`.
  let chunks: AsyncIterable<Buffer> = countRaw(payload.iterator({ destroyOnReturn: false }), limits.maxRawBytes);
  for (const stage of stages) chunks = stage(chunks);
  const output: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > limits.maxDecompressedBytes) throw tooLarge('decompressed body', size, limits.maxDecompressedBytes, true);
      output.push(chunk);
    }
  } catch (error) {
    await discardRest(payload);
    throw asBodyError(error, headers['content-encoding']);
  }
  return Buffer.concat(output, size);
}

/**
 * An uncompressed body (nearly every SDK request), read from its 'data' events: the same caps
 * and refusals as the decoding path, without an async generator's promise per chunk.
 */
function readPlain(payload: Readable, limits: Pick<IngestLimits, 'maxRawBytes' | 'maxDecompressedBytes'>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = (error: unknown): void => {
      if (refused) return;
      refused = true;
      payload.off('data', onData);
      stopWatching();
      void discardRest(payload).then(() => reject(asBodyError(error, undefined)));
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > limits.maxRawBytes) return refuse(tooLarge('body', size, limits.maxRawBytes));
      if (size > limits.maxDecompressedBytes) return refuse(tooLarge('decompressed body', size, limits.maxDecompressedBytes, true));
      chunks.push(bytes);
    };
    const stopWatching = finished(payload, (error) => {
      if (refused) return;
      if (error) return refuse(error);
      payload.off('data', onData);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    payload.on('data', onData);
  });
}

/** Reads and drops what is left of a refused body, for at most LINGER_MS. */
function discardRest(payload: Readable): Promise<void> {
  if (payload.readableEnded || payload.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, LINGER_MS);
    const stopWatching = finished(payload, done);
    function done(): void {
      clearTimeout(timer);
      stopWatching();
      resolve();
    }
    payload.resume();
  });
}

/** The decoders to apply, in order: the last coding listed was applied last, so it goes first. */
export function decodingStages(header: string | string[] | undefined): Stage[] {
  const codings = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => !NO_ENCODING.has(coding));
  return codings.reverse().map(stageFor);
}

function stageFor(coding: string): Stage {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return (source) => throughTransform(source, zlib.createGunzip(DECODER_OPTIONS));
    case 'deflate':
      return inflateEitherFormat;
    case 'br':
      return (source) => throughTransform(source, zlib.createBrotliDecompress(DECODER_OPTIONS));
    case 'zstd': {
      // node:zlib gained zstd in Node 22.15; on older runtimes the coding is refused up front.
      const createZstd = (zlib as unknown as Record<string, unknown>)['createZstdDecompress'];
      if (typeof createZstd !== 'function') {
        throw new IngestHttpError(415, `Content-Encoding zstd is not supported by this Node.js (${process.version})`);
      }
      return (source) => throughTransform(source, (createZstd as (options: object) => Transform)(DECODER_OPTIONS));
    }
    default:
      throw new IngestHttpError(415, `unsupported Content-Encoding "${coding}"`);
  }
}

async function* countRaw(source: AsyncIterable<unknown>, max: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of source) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > max) throw tooLarge('body', size, max);
    yield bytes;
  }
}

/** Runs a zlib stream over an async source; stopping the iteration destroys both sides. */
async function* throughTransform(source: AsyncIterable<Buffer>, transform: Transform): AsyncGenerator<Buffer> {
  // Errors reach the consumer through the iteration of `transform`, which pipeline destroys.
  // The source is pulled one chunk at a time (Readable.from's own default, stated here as the bound).
  pipeline(Readable.from(source, { objectMode: false, highWaterMark: 1 }), transform, () => undefined);
  for await (const chunk of transform) yield chunk as Buffer;
}

/**
 * HTTP "deflate" should be zlib-wrapped, but some clients send raw deflate: the first two bytes
 * tell them apart (a zlib header is CM=8 with a checksum divisible by 31).
 */
async function* inflateEitherFormat(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const start = Buffer.concat(head);
  const zlibWrapped = start.length >= 2 && (start[0]! & 0x0f) === 8 && ((start[0]! << 8) | start[1]!) % 31 === 0;
  const inflater = zlibWrapped ? zlib.createInflate(DECODER_OPTIONS) : zlib.createInflateRaw(DECODER_OPTIONS);
  yield* throughTransform(prepend(start, iterator), inflater);
}

async function* prepend(start: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (start.length > 0) yield start;
  yield* { [Symbol.asyncIterator]: () => rest };
}

function tooLarge(what: string, size: number, max: number, whileDecoding = false): IngestHttpError {
  return new IngestHttpError(
    413,
    whileDecoding ? `${what} passed the limit of ${max} bytes` : `${what} is ${size} bytes, over the limit of ${max}`,
  );
}

function asBodyError(error: unknown, encoding: string | string[] | undefined): IngestHttpError {
  if (error instanceof IngestHttpError) return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  if (encoding !== undefined && decodingStages(encoding).length > 0) {
    return new IngestHttpError(400, `body could not be decoded as ${String(encoding)}: ${message}`);
  }
  return new IngestHttpError(400, `body could not be read: ${message}`);
}
