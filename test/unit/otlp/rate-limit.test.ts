/**
 * OTLP against the core's real per-project limiter (on a fixed clock): an export asks once per
 * project for exactly the events it will store, so rejected events use no budget and a batch is
 * admitted or refused whole.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { MinuteRateLimiter } from '../../../src/main/core/rate-limiter';
import { startTestServer, type TestServer } from './support/test-server';

const LIMIT = 3;
const MAX_EVENT_BYTES = 4096;
/** Inside a minute window, well away from its edges. */
let clock = 1_800_000_000_000 + 30_000;
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ maxEventBytes: MAX_EVENT_BYTES }, new MinuteRateLimiter(() => LIMIT, () => clock));
});
afterEach(async () => {
  await server.close();
});

/** One span per entry, each recording an exception; an `oversized` one carries an attribute past maxEventBytes. */
function spansExport(spans: ('good' | 'oversized')[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeSpans: [
          {
            spans: spans.map((kind, index) => ({
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: `eee19b7ec3c1b1${String(index).padStart(2, '0')}`,
              name: `span ${index}`,
              endTimeUnixNano: '1795635019357719763',
              attributes: kind === 'oversized' ? [{ key: 'blob', value: { stringValue: 'x'.repeat(MAX_EVENT_BYTES) } }] : [],
              events: [
                {
                  name: 'exception',
                  attributes: [
                    { key: 'exception.type', value: { stringValue: 'TaxServiceError' } },
                    { key: 'exception.message', value: { stringValue: `failure ${index}` } },
                  ],
                },
              ],
            })),
          },
        ],
      },
    ],
  });
}

async function post(spans: ('good' | 'oversized')[]): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: spansExport(spans) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

test('events rejected after reading use no budget, and a batch over the budget is refused whole at no cost', async () => {
  // 2 stored, 1 too large: only the 2 count.
  expect(await post(['good', 'oversized', 'good'])).toEqual({
    status: 200,
    retryAfter: null,
    body: { partialSuccess: { rejectedSpans: 1, errorMessage: `event exceeds ${MAX_EVENT_BYTES} bytes` } },
  });
  expect(server.sink.events).toHaveLength(2);
  expect(await post(['good'])).toEqual({ status: 200, retryAfter: null, body: {} });
  expect(server.sink.events).toHaveLength(3);
  expect(await post(['good'])).toEqual({ status: 429, retryAfter: '30', body: { code: 8, message: 'rate limited' } });
  expect(server.sink.events).toHaveLength(3);

  // Next minute: 2 events fit; then 2 more do not fit in the 1 left, so none is stored (not the
  // first), and the refusal leaves that 1 for the event that follows.
  clock += 60_000;
  expect(await post(['good', 'good'])).toEqual({ status: 200, retryAfter: null, body: {} });
  expect(await post(['good', 'good'])).toEqual({ status: 429, retryAfter: '30', body: { code: 8, message: 'rate limited' } });
  expect(server.sink.events).toHaveLength(5);
  expect(await post(['good'])).toEqual({ status: 200, retryAfter: null, body: {} });
  expect(server.sink.events).toHaveLength(6);

  // A batch larger than the whole limit still gets in, whole, in a window of its own; it would
  // otherwise be refused every minute and the exporter would retry it until it gave up.
  clock += 60_000;
  expect(await post(['good', 'good', 'good', 'good'])).toEqual({ status: 200, retryAfter: null, body: {} });
  expect(await post(['good'])).toEqual({ status: 429, retryAfter: '30', body: { code: 8, message: 'rate limited' } });
  expect(server.sink.events).toHaveLength(10);
  expect(server.sink.envelopes.map((envelope) => envelope.events.length)).toEqual([2, 1, 2, 1, 4]);
});

test('an export whose every event is rejected for size asks nothing of the limiter', async () => {
  for (let n = 0; n < LIMIT + 1; n++) {
    expect((await post(['oversized'])).body).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: `event exceeds ${MAX_EVENT_BYTES} bytes` } });
  }
  expect(await post(['good', 'good', 'good'])).toEqual({ status: 200, retryAfter: null, body: {} });
  expect(server.sink.events).toHaveLength(3);
});
