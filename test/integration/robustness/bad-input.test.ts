/**
 * Hostile and broken requests against a real server: each gets a clear status with a one-line
 * `{"detail"}`, the server keeps serving, and what was stored before is exactly what is stored after.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, Project } from '../../../src/shared/api';
import { buildEnvelope, errorEvent, randomHex, startHarness, type Harness } from '../../support/core-harness';
import { storeFacts, type StoreFacts } from './store-facts';
import { levelsBelow } from '../../support/nesting';

let harness: Harness;
let baseline: StoreFacts;

interface Answer {
  status: number;
  detail: string | undefined;
  json: unknown;
}

async function post(path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${harness.core.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  const detail = (json as { detail?: unknown } | undefined)?.detail;
  return { status: response.status, detail: typeof detail === 'string' ? detail : undefined, json };
}

const envelopePath = (): string => `/api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey}`;
const storePath = (): string => `/api/${harness.project.id}/store/?sentry_key=${harness.project.publicKey}`;

/** A one-line reason, as every refusal must carry. */
function expectOneLine(answer: Answer, status: number, pattern: RegExp): void {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(answer.json).toEqual({ detail: expect.any(String) });
  expect(answer.detail).toMatch(pattern);
  expect(answer.detail).not.toContain('\n');
}

async function expectServing(): Promise<void> {
  const eventId = randomHex();
  const ok = await post(envelopePath(), buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ eventId, fn: 'canary' }) }]));
  expect(ok.status).toBe(200);
  expect((await harness.api(`/api/events/${eventId}`)).status).toBe(200);
}

/** Deterministic pseudo-random bytes (a hash chain), so a failure reproduces. */
function garbage(length: number, seed: string): Buffer {
  const chunks: Buffer[] = [];
  let state = Buffer.from(seed);
  while (chunks.length * 32 < length) {
    state = createHash('sha256').update(state).digest();
    chunks.push(state);
  }
  return Buffer.concat(chunks).subarray(0, length);
}

beforeAll(async () => {
  harness = await startHarness();
  const seeded = await post(envelopePath(), buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ fn: 'seed' }) }]));
  expect(seeded.status).toBe(200);
  baseline = storeFacts(harness.dataDir);
  expect(baseline).toMatchObject({ events: 1, issues: 1, countedEvents: 1 });
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

describe('malformed envelopes are refused with 400 and a reason', () => {
  const event = JSON.stringify(errorEvent({ fn: 'never' }));
  const cases: [string, () => Buffer | string, RegExp][] = [
    ['bad header JSON', () => `{"event_id": nope\n{"type":"event"}\n${event}\n`, /header_invalid_json/],
    ['a header that is not an object', () => `[1,2]\n{"type":"event"}\n${event}\n`, /header_not_object/],
    ['a length past the end', () => `{}\n{"type":"event","length":99999}\n${event}\n`, /item_length_past_end/],
    ['a length too short', () => `{}\n{"type":"event","length":5}\n${event}\n`, /item_missing_newline/],
    ['a negative length', () => `{}\n{"type":"event","length":-1}\n${event}\n`, /item_length_invalid/],
    ['a string length', () => `{}\n{"type":"event","length":"12"}\n${event}\n`, /item_length_invalid/],
    ['a truncated body', () => buildEnvelope({}, [{ header: { type: 'event' }, payload: event }]).slice(0, 120), /item_length_past_end|invalid_json/],
    ['no newline after the header', () => `{}{"type":"event"}\n${event}\n`, /header_invalid_json/],
    ['an item without a type', () => `{}\n{"length":2}\n{}\n`, /item_type_missing/],
    ['an empty body', () => '', /empty/],
    ['binary garbage', () => garbage(4096, 'garbage'), /malformed envelope/],
    ['NUL bytes', () => Buffer.alloc(512), /malformed envelope/],
  ];
  it.each(cases)('%s', async (_name, body, pattern) => {
    expectOneLine(await post(envelopePath(), body()), 400, pattern);
  });

  it('stored nothing and kept serving', async () => {
    expect(storeFacts(harness.dataDir)).toEqual(baseline);
    await expectServing();
    baseline = storeFacts(harness.dataDir);
  });
});

describe('events that are not events', () => {
  it('the store endpoint refuses a payload that is not an object, or not JSON', async () => {
    for (const payload of ['[1,2,3]', '"just a string"', '42', 'null', '{"unterminated": ']) {
      expectOneLine(await post(storePath(), payload, { 'content-type': 'application/json' }), 400, /^invalid event: /);
    }
  });

  it('an envelope drops such an item (as relay does) and keeps the good ones beside it', async () => {
    const good = randomHex();
    const answer = await post(
      envelopePath(),
      buildEnvelope({}, [
        { header: { type: 'event' }, payload: '[1,2,3]' },
        { header: { type: 'event' }, payload: 'not json at all' },
        { header: { type: 'event' }, payload: errorEvent({ eventId: good, fn: 'besideBadOnes' }) },
      ]),
    );
    expect(answer).toMatchObject({ status: 200, json: { id: good } });
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: baseline.events + 1, countedEvents: baseline.countedEvents + 1 });
    baseline = storeFacts(harness.dataDir);
  });
});

describe('odd but storable events are normalized, not refused', () => {
  async function storeAndRead(payload: Record<string, unknown>): Promise<EventDetail> {
    const eventId = randomHex();
    const answer = await post(envelopePath(), buildEnvelope({}, [{ header: { type: 'event' }, payload: { ...payload, event_id: eventId } }]));
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const read = await harness.api<EventDetail>(`/api/events/${eventId}`);
    expect(read.status).toBe(200);
    return read.body;
  }

  it('wrong field types are dropped or coerced, like relay', async () => {
    const { event } = await storeAndRead({
      message: 'wrong types',
      level: 42,
      timestamp: 'yesterday',
      tags: 'a string',
      user: 'bob',
      exception: 'not an object',
      breadcrumbs: 5,
      fingerprint: 'not a list',
      release: 123,
      extra: [1, 2],
      platform: { name: 'node' },
    });
    expect(event.message).toBe('wrong types');
    expect(event.level).toBe('error');
    expect(event.platform).toBe('other');
    expect(Math.abs(event.timestamp - Date.now() / 1000)).toBeLessThan(600);
    expect(event.exception).toBeUndefined();
    expect(event.breadcrumbs).toBeUndefined();
    expect(event.user).toBeUndefined();
    expect(event.fingerprint).toBeUndefined();
  });

  it('huge strings are trimmed to relay-like limits', async () => {
    const { event } = await storeAndRead({ message: 'x'.repeat(600_000), extra: { blob: 'y'.repeat(300_000) }, tags: { big: 'z'.repeat(5000) } });
    expect(event.message?.length).toBeLessThanOrEqual(8192);
    expect(String(event.extra?.['blob']).length).toBeLessThanOrEqual(8192);
    for (const [, value] of event.tags ?? []) expect(value.length).toBeLessThanOrEqual(200);
  });

  /** Levels of `{"level": …}` below extra.deep, in the normalized event and in the stored raw payload. */
  async function storeDeep(levels: number): Promise<{ ingest: number; read: number; depth: number; rawDepth: number }> {
    const deep = `${'{"level":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;
    const eventId = randomHex();
    const payload = `{"event_id":"${eventId}","message":"deep","extra":{"deep":${deep}}}`;
    const answer = await post(envelopePath(), `{}\n{"type":"event","length":${Buffer.byteLength(payload)}}\n${payload}\n`);
    const read = await harness.api<EventDetail>(`/api/events/${eventId}`);
    const raw = read.status === 200 ? (read.body.raw as { extra?: { deep?: unknown } }) : undefined;
    return {
      ingest: answer.status,
      read: read.status,
      depth: levelsBelow(read.status === 200 ? read.body.event.extra?.['deep'] : undefined),
      rawDepth: levelsBelow(raw?.extra?.deep),
    };
  }


  it('deep nesting (1,000 levels) is cut at the data depth limit', async () => {
    // `extra` itself is the first of the 10 levels kept, so 9 remain below extra.deep. The raw
    // payload is stored cut at 128 levels: the root and `extra` are two of them, and the object at
    // the 128th level is kept empty (its deeper `level` removed), so 126 objects remain.
    expect(await storeDeep(1000)).toEqual({ ingest: 200, read: 200, depth: 9, rawDepth: 126 });
  });

  it('deep nesting (50,000 levels) is stored, cut at the same limits and readable', async () => {
    expect(await storeDeep(50_000)).toEqual({ ingest: 200, read: 200, depth: 9, rawDepth: 126 });
  });

  it('a payload within the depth limit is stored exactly as sent', async () => {
    // 120 levels below extra.deep: 122 with the root and extra, within the 128 kept.
    expect(await storeDeep(120)).toEqual({ ingest: 200, read: 200, depth: 9, rawDepth: 120 });
  });

  it('a 10,000-frame stack keeps its 250 outermost and innermost frames', async () => {
    const frames = Array.from({ length: 10_000 }, (_, n) => ({ function: `f${n}`, filename: '/app/deep.js', lineno: n + 1, in_app: true }));
    const { event } = await storeAndRead({ platform: 'node', exception: { values: [{ type: 'RangeError', value: 'Maximum call stack size exceeded', stacktrace: { frames } }] } });
    const kept = event.exception?.values[0]?.stacktrace?.frames ?? [];
    expect(kept).toHaveLength(250);
    expect(kept[0]?.function).toBe('f0');
    expect(kept[kept.length - 1]?.function).toBe('f9999');
  });

  it('unicode edge cases come back as valid text', async () => {
    const message = 'emoji 🦀 combining é RTL \u202eevil\u202c zero-width \u200b nul \u0000 lone \ud800 end';
    const { event } = await storeAndRead({ message, tags: { '🦀': 'ünïcödé' }, user: { username: '名前' } });
    expect(event.message).toContain('🦀');
    expect(event.message).toContain('RTL \u202eevil\u202c zero-width \u200b');
    expect(event.user?.username).toBe('名前');
    expect(event.tags).toContainEqual(['🦀', 'ünïcödé']);
    // Invalid UTF-8 in the payload bytes is replaced, not fatal.
    const eventId = randomHex();
    const payload = Buffer.concat([Buffer.from(`{"event_id":"${eventId}","message":"bad `), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes"}')]);
    const body = Buffer.concat([Buffer.from(`{}\n{"type":"event","length":${payload.length}}\n`), payload, Buffer.from('\n')]);
    expect((await post(envelopePath(), body)).status).toBe(200);
    const read = await harness.api<EventDetail>(`/api/events/${eventId}`);
    expect(read.body.event.message).toBe('bad \ufffd\ufffd\ufffd bytes');
  });

  it('counted every stored event exactly once', () => {
    const facts = storeFacts(harness.dataDir);
    expect(facts).toMatchObject({ events: baseline.events + 8, countedEvents: baseline.countedEvents + 8, undecodablePayloads: 0, orphanEvents: 0 });
    baseline = facts;
  });
});

describe('keys and projects', () => {
  const event = (): string => buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ fn: 'unauthorized' }) }]);

  it('answers 401, 403 and 404 with the reason', async () => {
    const id = harness.project.id;
    const key = harness.project.publicKey;
    expectOneLine(await post(`/api/${id}/envelope/`, event()), 401, /missing authentication/);
    expectOneLine(await post(`/api/${id}/envelope/?sentry_key=0123456789abcdef0123456789abcdef`, event()), 403, /unknown sentry_key|does not belong/);
    expectOneLine(await post(`/api/999/envelope/?sentry_key=${key}`, event()), 404, /project 999 does not exist/);
    expectOneLine(await post(`/api/${id}/store/`, JSON.stringify(errorEvent({})), { 'x-sentry-auth': 'Sentry sentry_version=7' }), 401, /missing authentication/);
    expectOneLine(
      await post(`/api/${id}/envelope/?sentry_key=${key}`, event(), { 'x-sentry-auth': 'Sentry sentry_key=ffffffffffffffffffffffffffffffff' }),
      401,
      /conflicting keys/,
    );
    const dsnElsewhere = buildEnvelope({ dsn: `http://${key}@127.0.0.1/999` }, [{ header: { type: 'event' }, payload: errorEvent({}) }]);
    expectOneLine(await post(`/api/${id}/envelope/`, dsnElsewhere), 403, /names project 999/);
    expectOneLine(await post(`/api/${id}/envelope/`, buildEnvelope({ dsn: 'not a dsn' }, [])), 401, /not a valid Sentry DSN/);
  });

  it('a disabled key is refused with 403 until it is enabled again', async () => {
    const id = harness.project.id;
    const disabled = await harness.api<Project>(`/api/projects/${id}`, { method: 'PATCH', body: JSON.stringify({ keyEnabled: false }) });
    expect(disabled.body.keyEnabled).toBe(false);
    expectOneLine(await post(envelopePath(), event()), 403, /disabled/);
    await harness.api(`/api/projects/${id}`, { method: 'PATCH', body: JSON.stringify({ keyEnabled: true }) });
    expect((await post(envelopePath(), event())).status).toBe(200);
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: baseline.events + 1, countedEvents: baseline.countedEvents + 1 });
    baseline = storeFacts(harness.dataDir);
  });
});
