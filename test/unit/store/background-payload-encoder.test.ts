/**
 * Payloads compressed on the worker are stored exactly as the inline codec would store them
 * (decodePayload reads them back byte for byte), in order; a worker that dies mid-batch costs
 * nothing but the speed-up: waiting payloads are compressed inline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundPayloadEncoder, inlinePayloadEncoder, type PayloadEncoder } from '../../../src/main/store/background-payload-encoder';
import { decodePayload, encodePayload } from '../../../src/main/store/payload-codec';

const dir = join(__dirname, '..', '..', 'fixtures', 'bench', 'envelopes');
const payloads = readdirSync(dir)
  .filter((name) => name.endsWith('.envelope'))
  .map((name) => readFileSync(join(dir, name), 'utf8').split('\n')[2] ?? '');

let encoder: PayloadEncoder | null = null;
afterEach(async () => {
  await encoder?.close();
  encoder = null;
});

describe('background payload encoder', () => {
  it('stores each payload as the inline codec does, in order, across concurrent batches', async () => {
    const warnings: string[] = [];
    const background = new BackgroundPayloadEncoder({ warn: (line) => warnings.push(line), saturatedBatch: 1 });
    encoder = background;
    await background.whenOnline();
    const batches = [payloads, ['{"message":"naïve ☃ — 𝌆"}', '{}'], [...payloads].reverse()];
    const results = await Promise.all(batches.map((batch) => encoder!.encode(batch)));
    results.forEach((encoded, index) => {
      const batch = batches[index]!;
      expect(encoded).toHaveLength(batch.length);
      expect(encoded.map(decodePayload)).toEqual(batch);
      expect(encoded.map((bytes) => bytes.toString('hex'))).toEqual(batch.map((payload) => encodePayload(payload).toString('hex')));
    });
    expect(warnings).toEqual([]);
  });

  it('compresses inline what was waiting when the worker stops, and everything after', async () => {
    const warnings: string[] = [];
    const background = new BackgroundPayloadEncoder({ warn: (line) => warnings.push(line), saturatedBatch: 1 });
    encoder = background;
    await background.whenOnline();
    const waiting = encoder.encode(payloads);
    await encoder.close();
    expect((await waiting).map(decodePayload)).toEqual(payloads);
    expect((await encoder.encode(['{"a":1}'])).map(decodePayload)).toEqual(['{"a":1}']);
    expect(warnings).toEqual([]);
  });

  it('starts its worker only for saturated batches and stops it when they stop', async () => {
    const background = new BackgroundPayloadEncoder({ saturatedBatch: 4, idleStopMs: 50 });
    encoder = background;
    const worker = (): unknown => (background as unknown as { worker: unknown }).worker;
    await background.encode(payloads.slice(0, 3));
    expect(worker()).toBeNull();
    await background.encode(payloads.slice(0, 4));
    expect(worker()).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(worker()).toBeNull();
    expect((await background.encode(payloads.slice(0, 2))).map(decodePayload)).toEqual(payloads.slice(0, 2));
  });

  it('the inline encoder is the codec itself', async () => {
    expect((await inlinePayloadEncoder.encode(payloads)).map(decodePayload)).toEqual(payloads);
  });
});
