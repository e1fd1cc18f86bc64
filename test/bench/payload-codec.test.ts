/**
 * The stored-payload codec the bench's bytes/event depends on: real @sentry/node payloads
 * round-trip exactly, the dictionary makes them smaller than plain deflate, and payloads written
 * before the dictionary (raw deflate) still decode.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from '../../src/main/store/payload-codec';

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
});
