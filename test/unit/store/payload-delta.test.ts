/**
 * Payloads stored as a delta against their group's reference (payload-delta.ts): exact round
 * trips whatever the edits, small for a group's typical next event, refused when not small, and
 * a corrupt delta throws instead of reading out of bounds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDelta, deltaReference, encodeDelta } from '../../../src/main/store/payload-delta';
import { decodePayload, encodePayload, referenceBytes, referenceIdOf } from '../../../src/main/store/payload-codec';

const dir = join(__dirname, '..', '..', 'fixtures', 'bench', 'envelopes');
const payloads = readdirSync(dir)
  .filter((name) => name.endsWith('.envelope'))
  .sort()
  .map((name) => readFileSync(join(dir, name), 'utf8').split('\n')[2] ?? '');

/** A seeded generator, so a failure names a case that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** `count` random replacements, insertions and deletions of whole code points (unicode included). */
function edited(text: string, count: number, next: () => number): string {
  const points = Array.from(text);
  const alphabet = Array.from('é☃𝌆0123456789abcdef"}');
  for (let e = 0; e < count; e++) {
    const at = Math.floor(next() * points.length);
    const inserted = alphabet.slice(0, Math.floor(next() * alphabet.length));
    const removed = next() < 0.5 ? inserted.length : Math.floor(next() * 40);
    points.splice(at, removed, ...inserted);
  }
  return points.join('');
}

function roundTrip(json: string, reference: Buffer, maxBytes = 1 << 20): string | undefined {
  const delta = encodeDelta(json, deltaReference(reference), maxBytes);
  return delta && applyDelta(delta, reference).toString('utf8');
}

describe('payload delta', () => {
  it('round-trips byte for byte under random edits, against aligned and unaligned references', () => {
    const next = random(14);
    let deltas = 0;
    for (let round = 0; round < 600; round++) {
      const reference = payloads[Math.floor(next() * payloads.length)] ?? '';
      const base = next() < 0.7 ? reference : (payloads[Math.floor(next() * payloads.length)] ?? '');
      const json = edited(base, Math.floor(next() * 8), next);
      const bytes = Buffer.from(reference);
      const unaligned = Buffer.concat([Buffer.from('x'), bytes]).subarray(1);
      for (const data of [bytes, unaligned]) {
        const back = roundTrip(json, data);
        if (back === undefined) continue;
        expect(back, `round ${round}`).toBe(json);
        deltas++;
      }
    }
    expect(deltas).toBeGreaterThan(600);
  });

  it('stores a group\'s next event (new id, new timestamp) in a few dozen bytes', () => {
    for (const payload of payloads) {
      const next = payload
        .replace(/"event_id":"[0-9a-f]{32}"/, `"event_id":"${'b'.repeat(32)}"`)
        .replace(/"timestamp":(\d+)\.(\d+)/, (_whole, seconds: string) => `"timestamp":${Number(seconds) + 7}.5`);
      const delta = encodeDelta(next, deltaReference(Buffer.from(payload)), 1 << 20);
      expect(delta?.length).toBeLessThan(80);
      expect(roundTrip(next, Buffer.from(payload))).toBe(next);
    }
  });

  it('handles the edges: identical, empty, a different start, a longer and a shorter payload', () => {
    const reference = Buffer.from(payloads[0] ?? '');
    const text = reference.toString('utf8');
    for (const json of [text, '', '{}', `X${text.slice(1)}`, `${text}{"more":1}`, text.slice(0, 100), text.slice(50)]) {
      expect(roundTrip(json, reference)).toBe(json);
    }
    expect(roundTrip('anything', Buffer.alloc(0))).toBe('anything');
  });

  it('gives up when the delta would exceed its bound, and on a payload over 64 KB', () => {
    const reference = Buffer.from(payloads[0] ?? '');
    expect(encodeDelta(payloads[3] ?? '', deltaReference(reference), 256)).toBeUndefined();
    const large = `${reference.toString('utf8')}${' '.repeat(64 * 1024)}`;
    expect(encodeDelta(large, deltaReference(reference), 1 << 20)).toBeUndefined();
    const justFits = ' '.repeat(64 * 1024);
    expect(roundTrip(justFits, Buffer.from(justFits))).toBe(justFits);
  });

  it('stores a payload over 64 KB against its reference by deflate, and reads it back', () => {
    const payload = `{"extra":{"blob":"${'ab'.repeat(40_000)}"},"event_id":"${'a'.repeat(32)}"}`;
    const reference = { id: 9, data: referenceBytes(payload) };
    const next = payload.replace('a'.repeat(32), 'b'.repeat(32));
    const stored = encodePayload(next, reference);
    expect(stored[0]).toBe(0x07);
    expect(decodePayload(stored, () => reference.data)).toBe(next);
  });

  it('throws on a corrupt delta rather than returning wrong bytes', () => {
    const reference = Buffer.from(payloads[0] ?? '');
    const delta = encodeDelta(edited(reference.toString('utf8'), 3, random(3)), deltaReference(reference), 1 << 20);
    if (!delta) throw new Error('expected a delta');
    expect(() => applyDelta(delta.subarray(0, delta.length - 1), reference)).toThrow('stored payload delta is corrupt');
    expect(() => applyDelta(Buffer.concat([delta, Buffer.from([0])]), reference)).toThrow('stored payload delta is corrupt');
    expect(() => applyDelta(delta, reference.subarray(0, 100))).toThrow('stored payload delta is corrupt');
    expect(() => applyDelta(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), reference)).toThrow('stored payload delta is corrupt');
  });

  it('is what the codec stores for a close payload, under the reference\'s id; a distant one is deflated against it', () => {
    const payload = payloads[0] ?? '';
    const reference = { id: 70_000, data: referenceBytes(payload) };
    const close = payload.replace(/"event_id":"[0-9a-f]{32}"/, `"event_id":"${'c'.repeat(32)}"`);
    const stored = encodePayload(close, reference);
    expect(stored[0]).toBe(0x06);
    expect(referenceIdOf(stored)).toBe(70_000);
    expect(decodePayload(stored, (id) => (id === 70_000 ? reference.data : undefined))).toBe(close);
    expect(() => decodePayload(stored)).toThrow('stored payload refers to reference payload 70000, which is missing');
    const distant = payloads[6] ?? '';
    const deflated = encodePayload(distant, reference);
    expect(deflated[0]).toBe(0x07);
    expect(decodePayload(deflated, () => reference.data)).toBe(distant);
  });
});
