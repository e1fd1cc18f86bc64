import * as zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envelopeBytes, PROJECT_2, PROJECT_DISABLED, startIngestServer, type IngestTestServer } from './ingest-test-server';

const EVENT_ID = '9ec79c33ec9942ab8353589fcb2e04dc';
const AUTH_1 = 'sentry_version=7&sentry_key=abc123';
const EVENT = { event_id: EVENT_ID, level: 'warn', exception: { values: [{ type: 'TypeError', value: 'boom' }] } };

let server: IngestTestServer;
beforeAll(async () => {
  server = await startIngestServer({ limits: { maxRawBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024, maxEventBytes: 8 * 1024 } });
});
afterAll(() => server.close());
beforeEach(() => {
  server.sink.envelopes.length = 0;
  server.sink.storageDown = null;
  server.sink.retryAfterSeconds = null;
  server.rateLimiter.retryAfterSeconds = null;
  server.rateLimiter.calls = 0;
  server.logs.length = 0;
});

async function post(path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

const eventEnvelope = (header: object = { event_id: EVENT_ID }): Buffer => envelopeBytes(header, [[{ type: 'event' }, JSON.stringify(EVENT)]]);

describe('envelope endpoint', () => {
  it('accepts an event and answers with its id once the sink has it', async () => {
    const response = await post(`/api/1/envelope/?${AUTH_1}`, eventEnvelope());
    expect([response.status, response.json]).toEqual([200, { id: EVENT_ID }]);
    expect(server.sink.envelopes).toHaveLength(1);
    const [envelope] = server.sink.envelopes;
    expect(envelope!.projectId).toBe(1);
    expect(envelope!.otherItems).toEqual({});
    expect(envelope!.events).toHaveLength(1);
    expect(envelope!.events[0]!.payload).toBe(JSON.stringify(EVENT));
    expect(envelope!.events[0]!.event).toMatchObject({ event_id: EVENT_ID, level: 'warning', platform: 'other', type: 'error' });
  });

  it('answers on the path without a trailing slash too', async () => {
    expect((await post(`/api/1/envelope?${AUTH_1}`, eventEnvelope())).status).toBe(200);
  });

  it('answers {} for an envelope without an event and counts the other items', async () => {
    const body = envelopeBytes({}, [
      [{ type: 'session' }, '{"sid":"a"}'],
      [{ type: 'log', item_count: 4, content_type: 'application/vnd.sentry.items.log+json' }, '{"items":[]}'],
      [{ type: 'span', item_count: 3 }, '{}'],
      [{ type: 'client_report' }, '{}'],
      [{ type: 'transaction' }, '{}'],
      [{ type: 'some_future_type' }, '{}'],
    ]);
    const response = await post(`/api/1/envelope/?${AUTH_1}`, body);
    expect([response.status, response.json]).toEqual([200, {}]);
    expect(server.sink.envelopes[0]).toEqual({
      projectId: 1,
      events: [],
      otherItems: { session: 1, log: 4, span: 3, client_report: 1, transaction: 1 },
      // The envelope as sent, for a project that forwards upstream.
      forward: Buffer.from(body),
    });
    expect(server.rateLimiter.calls).toBe(0);
  });

  it('skips a well-framed item with a bad payload and keeps the rest', async () => {
    const body = envelopeBytes({}, [
      [{ type: 'event' }, '{"broken json'],
      [{ type: 'event' }, '[1,2]'],
      [{ type: 'event' }, JSON.stringify({ message: 'x'.repeat(9000) })],
      [{ type: 'session' }, '{}'],
      [{ type: 'event' }, JSON.stringify(EVENT)],
    ]);
    const response = await post(`/api/1/envelope/?${AUTH_1}`, body);
    expect([response.status, response.json]).toEqual([200, { id: EVENT_ID }]);
    expect(server.logs.map((line) => line.msg)).toEqual([
      'sentry ingest skipped 3 item(s): item 0 (event): event payload is not valid JSON; ' +
        'item 1 (event): event payload is an array, not a JSON object; item 2 (event): event is 9014 bytes, over the limit of 8192',
    ]);
    expect(server.sink.envelopes[0]!.events.map((incoming) => incoming.event.event_id)).toEqual([EVENT_ID]);
    expect(server.sink.envelopes[0]!.otherItems).toEqual({ session: 1 });
  });

  it('ties attachments to the event, binary-safe', async () => {
    const binary = Buffer.from([0, 10, 255, 10, 13]);
    const body = envelopeBytes({ event_id: EVENT_ID }, [
      [{ type: 'event' }, JSON.stringify(EVENT)],
      [{ type: 'attachment', filename: 'dump.bin', content_type: 'application/octet-stream', attachment_type: 'event.minidump' }, binary],
      [{ type: 'attachment', filename: 'log.txt' }, 'hello'],
    ]);
    expect((await post(`/api/1/envelope/?${AUTH_1}`, body)).status).toBe(200);
    const attachments = server.sink.envelopes[0]!.events[0]!.attachments;
    expect(attachments.map((a) => [a.filename, a.contentType, a.attachmentType, [...a.data]])).toEqual([
      ['dump.bin', 'application/octet-stream', 'event.minidump', [...binary]],
      ['log.txt', 'application/octet-stream', 'event.attachment', [...Buffer.from('hello')]],
    ]);
  });

  it('sends attachments without an event as loose attachments keyed by the header event_id', async () => {
    const body = envelopeBytes({ event_id: EVENT_ID }, [[{ type: 'attachment', filename: 'a.txt', content_type: 'text/plain' }, 'later']]);
    const response = await post(`/api/1/envelope/?${AUTH_1}`, body);
    expect([response.status, response.json]).toEqual([200, {}]);
    const loose = server.sink.envelopes[0]!.looseAttachments!;
    expect(loose.map(({ eventId, attachment }) => [eventId, attachment.filename, attachment.data.toString()])).toEqual([[EVENT_ID, 'a.txt', 'later']]);
  });

  it('answers 400 with a reason for broken framing', async () => {
    const response = await post(`/api/1/envelope/?${AUTH_1}`, '{}\n{"type":"event","length":500}\n{}');
    expect([response.status, response.json]).toEqual([
      400,
      { detail: 'malformed envelope (item_length_past_end): item 0 declares length 500 but only 2 bytes remain' },
    ]);
    expect(server.sink.envelopes).toHaveLength(0);
  });

  it('answers 400 for an empty body', async () => {
    const response = await post(`/api/1/envelope/?${AUTH_1}`, '');
    expect([response.status, response.json]).toEqual([400, { detail: 'malformed envelope (empty): envelope is empty' }]);
  });

  it('reads gzip, deflate and br bodies, whatever the content type', async () => {
    const cases: [string, Buffer, string][] = [
      ['gzip', zlib.gzipSync(eventEnvelope()), 'application/x-sentry-envelope'],
      ['deflate', zlib.deflateSync(eventEnvelope()), 'text/plain;charset=UTF-8'],
      ['br', zlib.brotliCompressSync(eventEnvelope()), 'application/json'],
    ];
    for (const [encoding, body, contentType] of cases) {
      const response = await post(`/api/1/envelope/?${AUTH_1}`, body, { 'content-encoding': encoding, 'content-type': contentType });
      expect([encoding, response.status, response.json]).toEqual([encoding, 200, { id: EVENT_ID }]);
    }
    expect(server.sink.envelopes).toHaveLength(3);
  });

  it('answers 415 for an unknown Content-Encoding', async () => {
    const response = await post(`/api/1/envelope/?${AUTH_1}`, eventEnvelope(), { 'content-encoding': 'lzma' });
    expect([response.status, response.json]).toEqual([415, { detail: 'unsupported Content-Encoding "lzma"' }]);
  });

  it('answers 413 past the raw cap and past the decompressed cap', async () => {
    const raw = await post(`/api/1/envelope/?${AUTH_1}`, Buffer.alloc(70 * 1024, 0x20));
    expect([raw.status, raw.json]).toEqual([413, { detail: 'body is 71680 bytes, over the limit of 65536' }]);
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const decompressed = await post(`/api/1/envelope/?${AUTH_1}`, bomb, { 'content-encoding': 'gzip' });
    expect([decompressed.status, decompressed.json]).toEqual([413, { detail: 'decompressed body passed the limit of 262144 bytes' }]);
    expect(server.sink.envelopes).toHaveLength(0);
  });

  it('answers 429 with Sentry rate-limit headers when the project is limited', async () => {
    server.rateLimiter.retryAfterSeconds = 42;
    const response = await post(`/api/1/envelope/?${AUTH_1}`, eventEnvelope());
    expect(response.status).toBe(429);
    expect(response.json).toEqual({ detail: 'project 1 is rate limited; retry after 42 s' });
    expect(response.headers.get('retry-after')).toBe('42');
    expect(response.headers.get('x-sentry-rate-limits')).toBe('42::project:rate_limited');
    expect(server.sink.envelopes).toHaveLength(0);
  });

  it('answers 503 when storage cannot take writes', async () => {
    server.sink.storageDown = 'disk full';
    const response = await post(`/api/1/envelope/?${AUTH_1}`, eventEnvelope());
    expect([response.status, response.json]).toEqual([503, { detail: 'storage unavailable: disk full' }]);
    expect(response.headers.get('retry-after')).toBeNull();
    server.sink.retryAfterSeconds = 7;
    const refused = await post(`/api/1/envelope/?${AUTH_1}`, eventEnvelope());
    expect([refused.status, refused.json, refused.headers.get('retry-after')]).toEqual([503, { detail: 'storage unavailable: disk full' }, '7']);
  });
});

describe('authentication', () => {
  const cases: [string, string, Record<string, string>, Buffer, number, string | null][] = [
    ['query key', `/api/1/envelope/?${AUTH_1}`, {}, eventEnvelope(), 200, null],
    ['X-Sentry-Auth', '/api/1/envelope/', { 'x-sentry-auth': 'Sentry sentry_key=abc123, sentry_version=7, sentry_client=test/1' }, eventEnvelope(), 200, null],
    ['Authorization: Sentry', '/api/1/envelope/', { authorization: 'Sentry sentry_key=abc123, sentry_version=7' }, eventEnvelope(), 200, null],
    ['envelope dsn', '/api/1/envelope/', {}, eventEnvelope({ dsn: 'http://abc123@127.0.0.1:1/1' }), 200, null],
    ['unknown project', `/api/99/envelope/?${AUTH_1}`, {}, eventEnvelope(), 404, 'project 99 does not exist'],
    ['no credentials', '/api/1/envelope/', {}, eventEnvelope(), 401, 'missing authentication: send X-Sentry-Auth, ?sentry_key= or a dsn in the envelope header'],
    ['another project key', `/api/1/envelope/?sentry_key=${PROJECT_2.publicKey}`, {}, eventEnvelope(), 403, 'the key from the sentry_key query parameter does not belong to project 1'],
    ['disabled key', `/api/3/envelope/?sentry_key=${'c'.repeat(32)}`, {}, eventEnvelope(), 403, 'the key of project 3 is disabled'],
    ['header and query disagree', `/api/1/envelope/?${AUTH_1}`, { 'x-sentry-auth': `Sentry sentry_key=${PROJECT_2.publicKey}` }, eventEnvelope(), 401, 'conflicting keys in X-Sentry-Auth and the sentry_key query parameter'],
    ['dsn names another project', `/api/1/envelope/?${AUTH_1}`, {}, eventEnvelope({ dsn: 'http://abc123@127.0.0.1:1/2' }), 403, "the envelope's dsn names project 2, not project 1"],
    ['dsn key differs from query key', `/api/1/envelope/?${AUTH_1}`, {}, eventEnvelope({ dsn: `http://${PROJECT_2.publicKey}@h/1` }), 401, "conflicting keys in the sentry_key query parameter and the envelope header's dsn"],
    ['invalid dsn', '/api/1/envelope/', {}, eventEnvelope({ dsn: 'not a dsn' }), 401, "the envelope header's dsn is not a valid Sentry DSN"],
    ['non-numeric project', `/api/abc/envelope/?${AUTH_1}`, {}, eventEnvelope(), 400, 'params/projectId must be integer'],
  ];
  it.each(cases)('%s → %i', async (_name, path, headers, body, status, detail) => {
    const response = await post(path, body, headers);
    expect(response.status).toBe(status);
    if (detail !== null) expect(response.json).toEqual({ detail });
    expect(server.sink.envelopes).toHaveLength(status === 200 ? 1 : 0);
  });
});

describe('store endpoints', () => {
  it('accepts a gzip JSON event with X-Sentry-Auth, as sentry-python posts it', async () => {
    const response = await post('/api/1/store/', zlib.gzipSync(JSON.stringify(EVENT)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-sentry-auth': 'Sentry sentry_key=abc123, sentry_version=7, sentry_client=sentry.python/1.9.10',
    });
    expect([response.status, response.json]).toEqual([200, { id: EVENT_ID }]);
    expect(server.sink.envelopes[0]!.events[0]!.event.exception).toEqual({ values: [{ type: 'TypeError', value: 'boom' }] });
    expect(server.rateLimiter.calls).toBe(1);
  });

  it('picks the project by key on /api/store/', async () => {
    const response = await post(`/api/store?sentry_key=${PROJECT_2.publicKey}`, JSON.stringify(EVENT));
    expect(response.status).toBe(200);
    expect(server.sink.envelopes[0]!.projectId).toBe(2);
  });

  it('refuses /api/store/ without a key (401) or with an unknown one (403)', async () => {
    expect(await post('/api/store/', JSON.stringify(EVENT)).then((r) => [r.status, r.json])).toEqual([
      401,
      { detail: 'missing authentication: send X-Sentry-Auth, ?sentry_key= or a dsn in the envelope header' },
    ]);
    expect(await post('/api/store/?sentry_key=nope', JSON.stringify(EVENT)).then((r) => [r.status, r.json])).toEqual([
      403,
      { detail: 'unknown sentry_key nope' },
    ]);
  });

  it('names a refusal in X-Sentry-Error, ASCII-safe, whatever the key looked like', async () => {
    const response = await post('/api/store/?sentry_key=%C3%A9%E2%9C%93', JSON.stringify(EVENT));
    expect([response.status, response.json]).toEqual([403, { detail: 'unknown sentry_key é✓' }]);
    expect(response.headers.get('x-sentry-error')).toBe('unknown sentry_key ??');
  });

  it('answers 400 for a body that is not a JSON object and 413 past the event cap', async () => {
    expect(await post(`/api/1/store/?${AUTH_1}`, '[1]').then((r) => [r.status, r.json])).toEqual([
      400,
      { detail: 'invalid event: event payload is an array, not a JSON object' },
    ]);
    expect(await post(`/api/1/store/?${AUTH_1}`, '{').then((r) => [r.status, r.json])).toEqual([
      400,
      { detail: 'invalid event: event payload is not valid JSON' },
    ]);
    const big = JSON.stringify({ message: 'x'.repeat(9000) });
    expect(await post(`/api/1/store/?${AUTH_1}`, big).then((r) => r.status)).toBe(413);
  });
});

describe('Spotlight stream', () => {
  it('takes keyless envelopes into the default project', async () => {
    const response = await post('/stream', eventEnvelope({ dsn: 'https://other@o1.ingest.sentry.io/77' }), {
      'content-type': 'application/x-sentry-envelope',
    });
    expect([response.status, response.json]).toEqual([200, { id: EVENT_ID }]);
    expect(server.sink.envelopes[0]!.projectId).toBe(1);
  });

  it("lands in the project its DSN or trace key names, when that is one of this Stacktray's keys", async () => {
    const key2 = PROJECT_2.publicKey;
    const cases: [object, number][] = [
      [{ dsn: `http://${key2}@127.0.0.1:8969/2` }, 2],
      [{ trace: { public_key: key2, trace_id: 'a'.repeat(32) } }, 2],
      [{ dsn: `http://${key2}@127.0.0.1:8969/1` }, 1],
      [{ trace: { public_key: 'f'.repeat(32) } }, 1],
      [{ trace: { public_key: PROJECT_DISABLED.publicKey } }, 1],
    ];
    for (const [header, projectId] of cases) {
      server.sink.envelopes.length = 0;
      const response = await post('/stream', eventEnvelope({ event_id: EVENT_ID, ...header }), { 'content-type': 'application/x-sentry-envelope' });
      expect(response.status).toBe(200);
      expect([header, server.sink.envelopes[0]?.projectId]).toEqual([header, projectId]);
    }
  });

  it('refuses keyless envelopes from another machine, saying why and what to use instead', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/stream',
      remoteAddress: '192.0.2.10',
      headers: { 'content-type': 'application/x-sentry-envelope' },
      payload: eventEnvelope(),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      detail:
        "keyless Spotlight ingest (/stream) is accepted over loopback only (127.0.0.1 or localhost), and this request came from 192.0.2.10; from another machine, or by this machine's network address, send to /api/<project id>/envelope/ with the project's key (its DSN)",
    });
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: '/stream',
      remoteAddress: '192.0.2.10',
      headers: { origin: 'http://192.0.2.10:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    expect(server.sink.envelopes).toEqual([]);
  });

  it('refuses keyless envelopes from a web page not served on this machine, and takes a localhost page\'s', async () => {
    const foreign = await post('/stream', eventEnvelope(), { origin: 'https://evil.example', 'content-type': 'text/plain' });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toEqual({
      detail: "keyless Spotlight ingest (/stream) is accepted from pages served on this machine (localhost) only, not from https://evil.example; send to /api/<project id>/envelope/ with the project's key (its DSN)",
    });
    const preflight = await fetch(`${server.url}/stream`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(server.sink.envelopes).toEqual([]);

    const local = await post('/stream', eventEnvelope(), { origin: 'http://localhost:5173', 'content-type': 'application/x-sentry-envelope' });
    expect([local.status, local.headers.get('access-control-allow-origin')]).toEqual([200, 'http://localhost:5173']);
    const localPreflight = await fetch(`${server.url}/stream`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' } });
    expect(localPreflight.status).toBe(204);
  });
});

describe('CORS', () => {
  it('answers a preflight with relay’s headers', async () => {
    const response = await fetch(`${server.url}/api/1/envelope/`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,sentry-trace' },
    });
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'https://shop.example.com',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers':
        'x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept, content-type, authentication, authorization, content-encoding, transfer-encoding, sentry-trace, baggage',
      'access-control-max-age': '3600',
      'access-control-expose-headers': 'x-sentry-error, x-sentry-rate-limits, retry-after',
    });
  });

  it('reflects the origin on success and on refusals', async () => {
    const origin = { origin: 'http://localhost:5173' };
    const ok = await post(`/api/1/envelope/?${AUTH_1}`, eventEnvelope(), origin);
    const refused = await post('/api/1/envelope/', eventEnvelope(), origin);
    expect([ok.status, ok.headers.get('access-control-allow-origin')]).toEqual([200, 'http://localhost:5173']);
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([401, 'http://localhost:5173']);
  });
});

describe('router configuration', () => {
  it('registers cleanly on a server that ignores trailing slashes', async () => {
    const lenient = await startIngestServer({ ignoreTrailingSlash: true });
    try {
      for (const path of ['/api/1/envelope/', '/api/1/envelope', '/api/store/', '/api/store']) {
        const response = await fetch(`${lenient.url}${path}?${AUTH_1}`, { method: 'POST', body: eventEnvelope() });
        expect([path, response.status]).toEqual([path, path.includes('store') ? 400 : 200]);
      }
    } finally {
      await lenient.close();
    }
  });
});
