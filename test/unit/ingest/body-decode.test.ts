import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IngestHttpError, readRequestBody } from '../../../src/main/ingest/body';

const LIMITS = { maxRawBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 };
const TEXT = Buffer.from('{"message":"hello"}\n'.repeat(200));

/** A request-like stream delivering `body` in chunks of `chunkSize` bytes. */
function streamOf(body: Buffer, chunkSize = 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += chunkSize) chunks.push(body.subarray(offset, offset + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

async function refusal(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IngestHttpError) return [error.statusCode, error.message];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readRequestBody decoding', () => {
  it.each([
    ['gzip', zlib.gzipSync(TEXT)],
    ['x-gzip', zlib.gzipSync(TEXT)],
    ['deflate', zlib.deflateSync(TEXT)],
    ['br', zlib.brotliCompressSync(TEXT)],
    ['GZIP ', zlib.gzipSync(TEXT)],
  ])('undoes %s', async (encoding, body) => {
    const decoded = await readRequestBody(streamOf(body, 7), { 'content-encoding': encoding }, LIMITS);
    expect(decoded.equals(TEXT)).toBe(true);
  });

  it('undoes raw deflate sent as "deflate"', async () => {
    const decoded = await readRequestBody(streamOf(zlib.deflateRawSync(TEXT), 1), { 'content-encoding': 'deflate' }, LIMITS);
    expect(decoded.equals(TEXT)).toBe(true);
  });

  it('undoes stacked codings in reverse order', async () => {
    const body = zlib.brotliCompressSync(zlib.gzipSync(TEXT));
    const decoded = await readRequestBody(streamOf(body), { 'content-encoding': 'gzip, br' }, LIMITS);
    expect(decoded.equals(TEXT)).toBe(true);
  });

  it.each([[undefined], [''], ['identity'], ['UTF-8']])('passes %j through untouched', async (encoding) => {
    const headers = encoding === undefined ? {} : { 'content-encoding': encoding };
    expect((await readRequestBody(streamOf(TEXT), headers, LIMITS)).equals(TEXT)).toBe(true);
  });

  it('refuses unknown codings with 415', async () => {
    expect(await refusal(readRequestBody(streamOf(TEXT), { 'content-encoding': 'compress' }, LIMITS))).toEqual([
      415,
      'unsupported Content-Encoding "compress"',
    ]);
  });

  it('refuses zstd with 415 when node:zlib has no zstd, and decodes it when it has', async () => {
    const zstd = zlib as unknown as { zstdCompressSync?: (input: Buffer) => Buffer; createZstdDecompress?: unknown };
    if (typeof zstd.createZstdDecompress === 'function' && zstd.zstdCompressSync) {
      const decoded = await readRequestBody(streamOf(zstd.zstdCompressSync(TEXT)), { 'content-encoding': 'zstd' }, LIMITS);
      expect(decoded.equals(TEXT)).toBe(true);
    } else {
      expect(await refusal(readRequestBody(streamOf(TEXT), { 'content-encoding': 'zstd' }, LIMITS))).toEqual([
        415,
        `Content-Encoding zstd is not supported by this Node.js (${process.version})`,
      ]);
    }
  });

  it('answers 400 for a corrupt gzip body', async () => {
    const [status, message] = await refusal(readRequestBody(streamOf(Buffer.from('not gzip at all')), { 'content-encoding': 'gzip' }, LIMITS));
    expect(status).toBe(400);
    expect(message).toMatch(/^body could not be decoded as gzip: /);
  });

  it('answers 400 for a truncated gzip body', async () => {
    const cut = zlib.gzipSync(TEXT).subarray(0, 30);
    const [status] = await refusal(readRequestBody(streamOf(cut), { 'content-encoding': 'gzip' }, LIMITS));
    expect(status).toBe(400);
  });
});

describe('readRequestBody caps', () => {
  it('refuses a declared Content-Length over the raw cap before reading', async () => {
    const stream = streamOf(TEXT);
    const result = await refusal(readRequestBody(stream, { 'content-length': String(LIMITS.maxRawBytes + 1) }, LIMITS));
    expect(result).toEqual([413, `body is ${LIMITS.maxRawBytes + 1} bytes, over the limit of ${LIMITS.maxRawBytes}`]);
  });

  it('refuses a chunked body once it passes the raw cap', async () => {
    const big = Buffer.alloc(LIMITS.maxRawBytes + 10, 0x61);
    const [status, message] = await refusal(readRequestBody(streamOf(big), {}, LIMITS));
    expect(status).toBe(413);
    expect(message).toMatch(/over the limit of 65536$/);
  });

  it('stops a gzip bomb as soon as the output passes the decompressed cap', async () => {
    // 64 MiB of zeros gzip to about 64 KiB: a bomb that would expand 250 times past the cap.
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const limits = { maxRawBytes: 1024 * 1024, maxDecompressedBytes: LIMITS.maxDecompressedBytes };
    let consumed = 0;
    const source = Readable.from(
      (function* chunks() {
        for (let offset = 0; offset < bomb.length; offset += 1024) {
          consumed = offset + 1024;
          yield bomb.subarray(offset, offset + 1024);
        }
      })(),
      { objectMode: false },
    );
    expect(await refusal(readRequestBody(source, { 'content-encoding': 'gzip' }, limits))).toEqual([
      413,
      'decompressed body passed the limit of 262144 bytes',
    ]);
    // Stopped early: the output passed 256 KiB after a few KiB of input; the rest was never read.
    expect(consumed).toBeLessThan(bomb.length / 2);
  });

  it('accepts a body exactly at both caps', async () => {
    const exact = Buffer.alloc(LIMITS.maxDecompressedBytes, 0x62);
    const decoded = await readRequestBody(streamOf(zlib.gzipSync(exact)), { 'content-encoding': 'gzip' }, LIMITS);
    expect(decoded.length).toBe(LIMITS.maxDecompressedBytes);
  });
});
