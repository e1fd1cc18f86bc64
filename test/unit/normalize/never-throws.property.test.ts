/** Arbitrary input must end in a result or a coded error, never an unexpected exception. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, parseEnvelope } from '../../../src/main/envelope/parse';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';

const RECEIVED = 1_764_100_000;

/** JSON values biased towards the shapes of Sentry events, so the normalizer's branches are reached. */
const eventLike = fc.letrec((tie) => ({
  value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary' }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 })),
  event: fc.record(
    {
      event_id: fc.oneof(fc.uuid(), fc.string()),
      timestamp: fc.oneof(fc.double(), fc.string(), fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
      level: fc.oneof(fc.constantFrom('warn', 'critical', 'info', 'bogus'), fc.integer()),
      message: tie('value'),
      logentry: fc.record({ message: fc.string({ unit: 'binary' }), params: tie('value') }, { requiredKeys: [] }),
      exception: fc.oneof(
        tie('value'),
        fc.record({ values: fc.array(fc.record({ type: tie('value'), value: tie('value'), stacktrace: fc.record({ frames: fc.array(tie('value'), { maxLength: 5 }) }) }, { requiredKeys: [] }), { maxLength: 3 }) }),
      ),
      breadcrumbs: tie('value'),
      tags: tie('value'),
      user: tie('value'),
      request: fc.record({ url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), headers: tie('value'), query_string: tie('value'), cookies: tie('value') }, { requiredKeys: [] }),
      contexts: tie('value'),
      extra: tie('value'),
      fingerprint: tie('value'),
      sdk: tie('value'),
      modules: tie('value'),
    },
    { requiredKeys: [] },
  ),
}));

describe('robustness on arbitrary input', () => {
  it('normalizeEvent always returns a result, and a JSON-serializable event', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), eventLike.event, eventLike.value), (raw) => {
        const result = normalizeEvent(raw, { receivedAt: RECEIVED });
        if (result.ok) {
          expect(result.event.event_id).toMatch(/^[0-9a-f]{32}$/);
          expect(Number.isFinite(result.event.timestamp)).toBe(true);
          expect(() => JSON.stringify(result.event)).not.toThrow();
        } else {
          expect(result.reason).toMatch(/not a JSON object$/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('parseEnvelope returns an envelope or throws an EnvelopeError on arbitrary bytes', () => {
    const envelopeish = fc
      .array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('{}\n', '{"type":"event","length":3}\n', '{"type":"event"}\n', '\n', '{"type":"x","length":0}')), { maxLength: 8 })
      .map((parts) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part)))));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)), envelopeish), (bytes) => {
        try {
          const envelope = parseEnvelope(bytes);
          const framed = envelope.items.reduce((sum, item) => sum + item.payload.length, 0);
          expect(framed).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(EnvelopeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
