/**
 * The stored-payload codec the bench's bytes/event depends on: real @sentry/node payloads
 * round-trip exactly, the dictionary makes them smaller than plain deflate, and payloads written
 * before the dictionary (raw deflate) still decode.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, referenceBytes, referenceIdOf, MAX_REFERENCE_BYTES } from '../../src/main/store/payload-codec';

const dir = join(__dirname, '..', 'fixtures', 'bench', 'envelopes');
/** The event item of each captured envelope (header line, item header line, payload line). */
const payloads = readdirSync(dir)
  .filter((name) => name.endsWith('.envelope'))
  .map((name) => readFileSync(join(dir, name), 'utf8').split('\n')[2] ?? '');

describe('payload codec', () => {
  it('round-trips every captured payload byte for byte, unicode included', () => {
    expect(payloads).toHaveLength(8);
    for (const payload of [...payloads, '{"message":"naïve ☃ — 𝌆 \\u0000 end"}', '{}']) {
      expect(decodePayload(encodePayload(payload))).toBe(payload);
    }
  });

  it('writes a zlib header naming the preset dictionary', () => {
    const stored = encodePayload(payloads[0] ?? '');
    expect(stored[0]).toBe(0x78);
    expect((stored[1] ?? 0) & 0x20).toBe(0x20); // FDICT
    expect(((stored[0] ?? 0) * 256 + (stored[1] ?? 0)) % 31).toBe(0);
  });

  it('stores real events smaller than plain level-1 deflate', () => {
    const plain = payloads.reduce((sum, p) => sum + deflateRawSync(p, { level: constants.Z_BEST_SPEED }).length, 0);
    const withDictionary = payloads.reduce((sum, p) => sum + encodePayload(p).length, 0);
    expect(withDictionary).toBeLessThan(plain * 0.85);
  });

  it('still reads payloads stored as raw deflate before the dictionary', () => {
    for (const payload of payloads) {
      expect(decodePayload(deflateRawSync(payload, { level: constants.Z_BEST_SPEED }))).toBe(payload);
    }
  });

  it('stores a payload against its group\'s reference in a fraction of the bytes, and reads it back only with that reference', () => {
    for (const payload of payloads) {
      const next = payload.replace(/"event_id":"[0-9a-f]{32}"/, `"event_id":"${'b'.repeat(32)}"`);
      const reference = { id: 70_000, data: referenceBytes(payload) };
      const stored = encodePayload(next, reference);
      expect(referenceIdOf(stored)).toBe(70_000);
      expect(referenceIdOf(encodePayload(next))).toBeNull();
      expect(stored.length).toBeLessThan(encodePayload(next).length / 4);
      expect(decodePayload(stored, (id) => (id === 70_000 ? reference.data : undefined))).toBe(next);
      expect(() => decodePayload(stored)).toThrow('stored payload refers to reference payload 70000, which is missing');
    }
  });

  it('keeps a long reference payload by its last 32 KB, which is all deflate can look back at', () => {
    const long = JSON.stringify({ message: 'x', extra: { blob: 'ab'.repeat(40_000) }, tail: 'é' });
    const kept = referenceBytes(long);
    expect(kept.length).toBe(MAX_REFERENCE_BYTES);
    expect(kept.equals(Buffer.from(long).subarray(-MAX_REFERENCE_BYTES))).toBe(true);
    const next = long.replace('"x"', '"y"');
    expect(decodePayload(encodePayload(next, { id: 1, data: kept }), () => kept)).toBe(next);
  });
});
