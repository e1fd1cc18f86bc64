/** Bad OTLP input gets a 400/413/415 status body in the request's encoding, and nothing else breaks. */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server';
import { loadWireFixture, replay } from './support/wire-fixture';

const GOOD = loadWireFixture(join(__dirname, '../../fixtures/otlp/traces-json.json'));

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ maxRawBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 });
});
afterEach(async () => {
  await server.close();
});

async function post(path: string, contentType: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
}

/** google.rpc.Status { int32 code = 1; string message = 2; } read field by field. */
function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  const reader = protobuf.Reader.create(bytes);
  const status = { code: 0, message: '' };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) status.code = reader.int32();
    else if (tag >>> 3 === 2) status.message = reader.string();
    else reader.skipType(tag & 7);
  }
  return status;
}

/** After each refusal the server still takes a real export. */
async function expectStillWorking(): Promise<void> {
  const before = server.sink.events.length;
  expect((await replay(server.url, GOOD)).status).toBe(200);
  expect(server.sink.events.length).toBe(before + 3);
}

test.each([
  ['not JSON at all', '{"resourceSpans": [', /^body is not valid JSON/],
  ['a JSON array', '[]', /^body must be a JSON object/],
  ['resourceSpans as an object', '{"resourceSpans": {}}', /^resourceSpans must be an array$/],
  ['a numeric trace id', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":12}]}]}]}', /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId must be a hex string$/],
  ['a short trace id', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abcd"}]}]}]}', /traceId must be 16 bytes/],
  ['a non-numeric time', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"events":[{"name":"exception","timeUnixNano":"soon"}]}]}]}]}', /events\[0\]\.timeUnixNano must be an unsigned integer/],
  ['a string kind', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVER"}]}]}]}', /spans\[0\]\.kind must be an integer$/],
  ['an attribute list as an object', '{"resourceSpans":[{"resource":{"attributes":{"service.name":"x"}}}]}', /resource\.attributes must be an array$/],
  ['a non-integer intValue', '{"resourceSpans":[{"resource":{"attributes":[{"key":"n","value":{"intValue":"12abc"}}]}}]}', /intValue must be an integer$/],
])('JSON with %s → 400 {code: 3, message}', async (_what, body, message) => {
  const response = await post('/v1/traces', 'application/json', body);
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const status = (await response.json()) as { code: number; message: string };
  expect(status.code).toBe(3);
  expect(status.message).toMatch(message);
  expect(server.sink.envelopes).toEqual([]);
  await expectStillWorking();
});

test('bad protobuf → 400 with a protobuf google.rpc.Status', async () => {
  const response = await post('/v1/logs', 'application/x-protobuf', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/x-protobuf');
  const status = decodeStatus(new Uint8Array(await response.arrayBuffer()));
  expect(status.code).toBe(3);
  expect(status.message).toMatch(/^body is not a valid protobuf ExportLogsServiceRequest: /);
  await expectStillWorking();
});

test('a broken gzip body → 400', async () => {
  const response = await post('/v1/traces', 'application/json', Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { code: number }).code).toBe(3);
  await expectStillWorking();
});

test('an unsupported content type → 415', async () => {
  const response = await post('/v1/traces', 'text/plain', '{}');
  expect(response.status).toBe(415);
  expect(((await response.json()) as { message: string }).message).toMatch(/application\/x-protobuf or application\/json/);
});

test('over the raw size cap → 413; over the decompressed cap → 413', async () => {
  const big = JSON.stringify({ resourceSpans: [], padding: 'x'.repeat(100 * 1024) });
  const raw = await post('/v1/traces', 'application/json', big);
  expect(raw.status).toBe(413);
  const bomb = gzipSync(JSON.stringify({ resourceSpans: [], padding: 'x'.repeat(1024 * 1024) }));
  expect(bomb.length).toBeLessThan(64 * 1024);
  const decompressed = await post('/v1/traces', 'application/json', bomb, { 'content-encoding': 'gzip' });
  expect(decompressed.status).toBe(413);
  expect(((await decompressed.json()) as { code: number }).code).toBe(8);
  await expectStillWorking();
});

test('an empty export is a plain success in either encoding', async () => {
  const json = await post('/v1/traces', 'application/json', '{}');
  expect(json.status).toBe(200);
  expect(await json.json()).toEqual({});
  const proto = await post('/v1/logs', 'application/x-protobuf', Buffer.alloc(0));
  expect(proto.status).toBe(200);
  expect((await proto.arrayBuffer()).byteLength).toBe(0);
  expect(server.sink.envelopes).toEqual([]);
});
