/**
 * Property-based fuzzing of the ingest routes through a real server: random bytes, random JSON
 * and mutated-but-plausible envelopes, events and OTLP bodies never get a 5xx, never crash the
 * server, and never leave half an event behind (every stored row decodes, belongs to an issue
 * whose count matches, and every acknowledged event id can be read back).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/shared/api';
import { errorEvent, startHarness, type Harness } from '../../support/core-harness';
import { countsMatchStoredEvents, storeFacts } from './store-facts';

let harness: Harness;
const acknowledged = new Set<string>();
/** Statuses a refusal may have: never a 5xx. */
const CLEAR_STATUSES = new Set([200, 400, 401, 403, 404, 413, 415]);

beforeAll(async () => {
  harness = await startHarness();
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

async function post(path: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${harness.core.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Checked below: every answer must be JSON.
  }
  return { status: response.status, json };
}

type AnswerKind = 'sentry' | 'otlp-json' | 'otlp-proto';

/**
 * Sentry routes answer JSON with a one-line `detail` on refusal; OTLP routes answer in the
 * request's encoding with a google.rpc.Status (`message` in JSON), as the OTLP spec says.
 */
function checkAnswer(answer: { status: number; json: unknown }, what: string, kind: AnswerKind = 'sentry'): void {
  expect(CLEAR_STATUSES.has(answer.status), `${what} → ${answer.status} ${JSON.stringify(answer.json)}`).toBe(true);
  if (kind === 'otlp-proto') return;
  expect(typeof answer.json === 'object' && answer.json !== null, `${what}: body is JSON`).toBe(true);
  if (answer.status !== 200) {
    const reason = (answer.json as Record<string, unknown>)[kind === 'sentry' ? 'detail' : 'message'];
    expect(typeof reason === 'string' && reason.length > 0 && !reason.includes('\n'), `${what}: one-line reason`).toBe(true);
  } else if (kind === 'sentry') {
    const id = (answer.json as { id?: unknown }).id;
    if (typeof id === 'string') acknowledged.add(id);
  }
}

const envelopePath = (): string => `/api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey}`;
const storePath = (): string => `/api/${harness.project.id}/store/?sentry_key=${harness.project.publicKey}`;

const json = fc.jsonValue({ maxDepth: 4 });
const eventKeys = [
  'event_id', 'timestamp', 'level', 'platform', 'message', 'logentry', 'exception', 'threads', 'breadcrumbs', 'user', 'request',
  'contexts', 'tags', 'extra', 'fingerprint', 'release', 'environment', 'sdk', 'modules', 'culprit', 'transaction', 'logger', 'stacktrace',
];
/** A real-looking event with some of its fields replaced by arbitrary JSON. */
const mutatedEvent = fc
  .record({
    replaced: fc.dictionary(fc.constantFrom(...eventKeys), json, { maxKeys: 5 }),
    frames: fc.array(fc.dictionary(fc.constantFrom('function', 'filename', 'lineno', 'colno', 'in_app', 'module', 'abs_path', 'vars'), json, { maxKeys: 6 }), { maxLength: 8 }),
  })
  .map(({ replaced, frames }) => {
    const event = errorEvent({ eventId: crypto.randomUUID().replaceAll('-', '') });
    const exception = { values: [{ type: 'FuzzError', value: 'fuzzed', stacktrace: { frames } }] };
    return { ...event, exception, ...replaced };
  });

const itemHeader = fc.record(
  {
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('event') },
      { weight: 3, arbitrary: fc.constantFrom('attachment', 'session', 'transaction', 'client_report', 'log', 'unknown_thing', '') },
      { weight: 1, arbitrary: json },
    ),
    filename: fc.string(),
    content_type: fc.string(),
    attachment_type: fc.string(),
  },
  { requiredKeys: ['type'] },
);

/** An envelope built from parts, with lengths right, wrong or absent. */
const envelope = fc
  .record({
    header: fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('event_id', 'dsn', 'sdk', 'sent_at'), json, { maxKeys: 3 }) },
      { weight: 1, arbitrary: json },
    ),
    items: fc.array(
      fc.record({
        header: itemHeader,
        payload: fc.oneof(
          { weight: 4, arbitrary: mutatedEvent.map((event) => JSON.stringify(event)) },
          { weight: 1, arbitrary: json.map((value) => JSON.stringify(value) ?? 'null') },
          { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
        ),
        length: fc.oneof(
          { weight: 4, arbitrary: fc.constant('right' as const) },
          { weight: 1, arbitrary: fc.constantFrom('absent' as const, 'off-by-one' as const, 'huge' as const) },
        ),
      }),
      { maxLength: 4 },
    ),
    trailingNewline: fc.boolean(),
  })
  .map(({ header, items, trailingNewline }) => {
    const lines = [JSON.stringify(header) ?? 'null'];
    for (const item of items) {
      const bytes = Buffer.byteLength(item.payload);
      const length = { right: bytes, absent: undefined, 'off-by-one': bytes + 1, huge: 2 ** 40 }[item.length];
      lines.push(JSON.stringify({ ...item.header, ...(length !== undefined && { length }) }), item.payload);
    }
    return lines.join('\n') + (trailingNewline ? '\n' : '');
  });

async function expectNoHalfEvents(): Promise<void> {
  const facts = storeFacts(harness.dataDir);
  expect(facts.undecodablePayloads).toBe(0);
  expect(facts.orphanEvents).toBe(0);
  expect(facts.countedEvents).toBe(facts.events);
  expect(countsMatchStoredEvents(harness.dataDir)).toBe(true);
  for (const eventId of acknowledged) {
    const read = await harness.api<EventDetail>(`/api/events/${eventId}`);
    expect(read.status, `acknowledged event ${eventId}`).toBe(200);
    expect(read.body.eventId).toBe(eventId);
  }
}

describe('fuzzing the ingest routes', () => {
  it('random bytes to the envelope, store and OTLP routes never get a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom('envelope', 'store', 'otlp-traces-json', 'otlp-logs-proto', 'stream'),
        async (bytes, route) => {
          const target = {
            envelope: [envelopePath(), {}, 'sentry'],
            store: [storePath(), { 'content-type': 'application/json' }, 'sentry'],
            'otlp-traces-json': ['/v1/traces', { 'content-type': 'application/json' }, 'otlp-json'],
            'otlp-logs-proto': ['/v1/logs', { 'content-type': 'application/x-protobuf' }, 'otlp-proto'],
            stream: ['/stream', { 'content-type': 'application/x-sentry-envelope' }, 'sentry'],
          }[route] as [string, Record<string, string>, AnswerKind];
          checkAnswer(await post(target[0], bytes, target[1]), `${route} with ${bytes.length} random bytes`, target[2]);
        },
      ),
      { numRuns: 250 },
    );
    await expectNoHalfEvents();
  }, 120_000);

  it('structured-but-wrong envelopes are answered clearly and stored whole or not at all', async () => {
    await fc.assert(
      fc.asyncProperty(envelope, async (body) => {
        checkAnswer(await post(envelopePath(), body), `envelope ${body.slice(0, 200)}`);
      }),
      { numRuns: 400 },
    );
    await expectNoHalfEvents();
    // The generator does reach storage: some fuzzed events were kept.
    expect(storeFacts(harness.dataDir).events).toBeGreaterThan(0);
  }, 180_000);

  it('mutated events on the store endpoint and random JSON on OTLP are answered clearly', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedEvent, json, async (event, otlp) => {
        checkAnswer(await post(storePath(), JSON.stringify(event), { 'content-type': 'application/json' }), `store ${JSON.stringify(event).slice(0, 300)}`);
        const otlpBody = JSON.stringify({ resourceSpans: [otlp] });
        checkAnswer(await post('/v1/traces', otlpBody, { 'content-type': 'application/json' }), `otlp ${otlpBody.slice(0, 200)}`, 'otlp-json');
      }),
      { numRuns: 300 },
    );
    await expectNoHalfEvents();
  }, 180_000);
});
