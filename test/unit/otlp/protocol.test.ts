/** OTLP/HTTP answers: partial success, rate limits, storage failures, encodings, keys, loopback. */
import { join } from 'node:path';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server';
import { loadWireFixture, replay } from './support/wire-fixture';

const FIXTURES = join(__dirname, '../../fixtures/otlp');
const TRACES_JSON = loadWireFixture(join(FIXTURES, 'traces-json.json'));
const TRACES_PROTO = loadWireFixture(join(FIXTURES, 'traces-proto-gzip.json'));
const tracesJsonBody = Buffer.from(TRACES_JSON.body_base64, 'base64');

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/** A JSON export with one exception span whose event text is `messageLength` characters long. */
function exceptionExport(messageLength: number, serviceName = 'checkout') {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }], futureField: true },
      scopeSpans: [{
        spans: [
          {
            traceId: 'D8D3F0EDD8135D31A6376D4D997E63CE',
            spanId: '367523b498049d9d',
            name: 'POST /checkout',
            kind: 2,
            startTimeUnixNano: 1795635019357000000,
            endTimeUnixNano: '1795635019357783528',
            attributes: [{ key: 'order.id', value: { intValue: '9007199254740993' } }, { key: 'ratio', value: { doubleValue: 0.5 } }],
            events: [{
              name: 'exception',
              timeUnixNano: '1795635019357719763',
              attributes: [
                { key: 'exception.type', value: { stringValue: 'TaxServiceError' } },
                { key: 'exception.message', value: { stringValue: 'x'.repeat(messageLength) } },
              ],
            }],
            status: { code: 2 },
            unknownSpanField: { nested: [1, 2, 3] },
          },
          { traceId: 'aa'.repeat(16), spanId: 'bb'.repeat(8), name: 'fine', status: { code: 1 } },
        ],
      }],
    }],
  });
}

const postJson = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

test("OTLP/JSON's mapping: hex ids in any case, int64 as string or number, unknown fields ignored", async () => {
  const response = await postJson('/v1/traces', exceptionExport(10));
  expect(response.status).toBe(200);
  const [stored] = server.sink.events;
  expect(stored?.event.contexts?.['trace']).toMatchObject({ trace_id: 'd8d3f0edd8135d31a6376d4d997e63ce', span_id: '367523b498049d9d' });
  expect(stored?.event.timestamp).toBe(1795635019.357719);
  expect(stored?.event.tags).toEqual([['order.id', '9007199254740993'], ['ratio', '0.5']]);
  expect(stored?.event.contexts?.['otel']?.['attributes']).toEqual({ 'order.id': '9007199254740993', ratio: 0.5 });
  expect(JSON.parse(stored!.payload)).toMatchObject({ event_id: stored?.event.event_id, platform: 'other', level: 'error' });
});

test('an event over the size cap is rejected as a partial success (JSON)', async () => {
  await server.close();
  server = await startTestServer({ maxEventBytes: 4096 });
  const response = await postJson('/v1/traces', exceptionExport(8000));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'event exceeds 4096 bytes' } });
  expect(server.sink.envelopes).toEqual([]);
});

test('partial success in protobuf carries rejected_log_records and error_message', async () => {
  await server.close();
  server = await startTestServer({ maxEventBytes: 512 });
  const response = await replay(server.url, loadWireFixture(join(FIXTURES, 'logs-proto.json')));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-protobuf');
  // ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1 { int64 rejected_log_records = 1; string error_message = 2 } }
  const outer = protobuf.Reader.create(new Uint8Array(await response.arrayBuffer()));
  expect(outer.uint32()).toBe((1 << 3) | 2);
  const inner = protobuf.Reader.create(outer.bytes());
  expect(inner.uint32()).toBe((1 << 3) | 0);
  expect(Number(inner.int64())).toBe(1);
  expect(inner.uint32()).toBe((2 << 3) | 2);
  expect(inner.string()).toBe('event exceeds 512 bytes');
});

test('a rate-limited project gets 429 with Retry-After and nothing is stored', async () => {
  const project = server.projects.forService('checkout');
  server.rateLimited.set(project.id, 17);
  const response = await replay(server.url, TRACES_PROTO);
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe('17');
  expect(response.headers.get('content-type')).toBe('application/x-protobuf');
  expect(server.sink.envelopes).toEqual([]);
});

test('only the rate-limited service is refused when another one is stored', async () => {
  server.rateLimited.set(server.projects.forService('billing').id, 5);
  const body = JSON.parse(exceptionExport(10, 'billing')) as { resourceSpans: unknown[] };
  body.resourceSpans.push(...(JSON.parse(exceptionExport(10, 'checkout')) as { resourceSpans: unknown[] }).resourceSpans);
  const response = await postJson('/v1/traces', JSON.stringify(body));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'project 2 is rate limited' } });
  expect(server.sink.events.map(({ projectId }) => server.projects.nameOf(projectId))).toEqual(['checkout']);
});

test('storage that cannot take writes → 503 with the reason', async () => {
  server.sink.unavailable = 'disk full';
  const response = await replay(server.url, TRACES_JSON);
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ code: 14, message: 'storage unavailable: disk full' });
  server.sink.retryAfterSeconds = 7;
  expect((await replay(server.url, TRACES_JSON)).headers.get('retry-after')).toBe('7');
});

test.each([
  ['deflate', deflateSync(tracesJsonBody)],
  ['br', brotliCompressSync(tracesJsonBody)],
])('Content-Encoding %s is decoded', async (encoding, body) => {
  const response = await postJson('/v1/traces', body, { 'content-encoding': encoding });
  expect(response.status).toBe(200);
  expect(server.sink.events).toHaveLength(3);
});

describe('/api/:projectId/integration/otlp/v1/*', () => {
  const path = '/api/1/integration/otlp/v1/traces';

  test.each([
    ['X-Sentry-Auth', path, { 'x-sentry-auth': 'Sentry sentry_key=key-1, sentry_version=7' }],
    ['?sentry_key=', `${path}?sentry_key=key-1`, {}],
    ['Authorization: Sentry', path, { authorization: 'Sentry sentry_key=key-1' }],
  ])('%s authenticates; events go to the URL project', async (_how, url, headers) => {
    const response = await postJson(url, tracesJsonBody, headers);
    expect(response.status).toBe(200);
    expect(server.sink.events.map(({ projectId }) => projectId)).toEqual([1, 1, 1]);
  });

  test.each([
    ['no key', path, {}, 401, 16],
    ['a wrong key', path, { 'x-sentry-auth': 'Sentry sentry_key=nope' }, 403, 7],
    ['an unknown project', '/api/99/integration/otlp/v1/traces', { 'x-sentry-auth': 'Sentry sentry_key=key-1' }, 404, 5],
    ['a non-numeric project', '/api/abc/integration/otlp/v1/traces', { 'x-sentry-auth': 'Sentry sentry_key=key-1' }, 400, 3],
  ])('%s → %i', async (_what, url, headers, status, code) => {
    const response = await postJson(url, tracesJsonBody, headers);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: number }).code).toBe(code);
    expect(server.sink.envelopes).toEqual([]);
  });

  test('logs too, with protobuf errors in protobuf', async () => {
    const response = await fetch(`${server.url}/api/1/integration/otlp/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.alloc(0),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
  });
});

test('keyless /v1/* refuses callers that are not on this machine', async () => {
  const response = await server.app.inject({
    method: 'POST',
    url: '/v1/traces',
    remoteAddress: '192.0.2.10',
    headers: { 'content-type': 'application/json' },
    payload: tracesJsonBody,
  });
  expect(response.statusCode).toBe(403);
  expect(response.json<{ code: number; message: string }>()).toEqual({
    code: 7,
    message:
      "keyless OTLP is accepted over loopback only (127.0.0.1 or localhost), and this request came from 192.0.2.10; from another machine, or by this machine's network address, send to /api/<project id>/integration/otlp/v1/traces with the project's key (its DSN)",
  });
  expect(server.sink.envelopes).toEqual([]);
});
