/**
 * Hostile OTLP exports against a real core, on both servers that route OTLP (the main server and
 * the extra loopback listener): values nested far deeper than anything is stored are cut at the
 * payload depth, the record is kept, and the answer is OTLP's (200, a partial-success warning),
 * never a 500. Protobuf refuses such nesting at decoding (400), as protoc and relay's prost do.
 */
import { createServer } from 'node:net';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList } from '../../../src/shared/api';
import { startHarness, tempDataDir, type Harness } from '../../support/core-harness';
import { storeFacts } from './store-facts';
import { levelsBelow } from '../../support/nesting';

const CUT_WARNING = 'values nested deeper than 128 levels were cut at that depth';
const TRACE_ID = '5b8efff798038103d269b633813fc60c';

let harness: Harness;

/** A port nobody listens on right now, for the core's extra OTLP listener. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  harness = await startHarness(tempDataDir(), { otlpPort: await freePort() });
  expect(harness.core.otlpPort).not.toBeNull();
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

/**
 * AnyValue JSON nested `levels` deep, written as text: building it as objects would overflow
 * JSON.stringify in the test itself.
 */
function nestedKvlist(levels: number): string {
  return `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(levels)}{"stringValue":"bottom"}${'}]}}'.repeat(levels)}`;
}

function nestedArray(levels: number): string {
  return `${'{"arrayValue":{"values":['.repeat(levels)}{"stringValue":"bottom"}${']}}'.repeat(levels)}`;
}

/** JSON text with each `"@name@"` string replaced by the raw JSON in `values`. */
function withRawValues(template: unknown, values: Record<string, string>): string {
  return JSON.stringify(template).replace(/"@(\w+)@"/g, (_match, name: string) => values[name] ?? 'null');
}

const stringValue = (value: string) => ({ stringValue: value });

/** A log record with exception.* attributes and a deep `deep` attribute, after an info record of the same trace with a deep body. */
function deepLogsExport(service: string, deepValue: string): string {
  return withRawValues(
    {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: stringValue(service) }] },
          scopeLogs: [
            {
              scope: { name: 'deep-logger' },
              logRecords: [
                { timeUnixNano: '1795635019000000000', severityNumber: 9, traceId: TRACE_ID, body: '@body@' },
                {
                  timeUnixNano: '1795635019357719763',
                  severityNumber: 17,
                  traceId: TRACE_ID,
                  body: '@body@',
                  attributes: [
                    { key: 'exception.type', value: stringValue('DeepLogError') },
                    { key: 'exception.message', value: stringValue(`deep log from ${service}`) },
                    { key: 'deep', value: '@deep@' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    { body: nestedKvlist(50_000), deep: deepValue },
  );
}

function deepTracesExport(service: string, deepValue: string): string {
  return withRawValues(
    {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: stringValue(service) }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: 'eee19b7ec3c1b174',
                  name: 'GET /deep',
                  endTimeUnixNano: '1795635019357719763',
                  events: [
                    {
                      name: 'exception',
                      attributes: [
                        { key: 'exception.type', value: stringValue('DeepSpanError') },
                        { key: 'exception.message', value: stringValue(`deep span from ${service}`) },
                        { key: 'deep', value: '@deep@' },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    { deep: deepValue },
  );
}

async function post(base: string, signal: 'logs' | 'traces', contentType: string, body: string | Uint8Array): Promise<Response> {
  return fetch(`${base}/v1/${signal}`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

/** The stored event whose message is `message` (each case's is unique), as the API returns it. */
async function eventWithMessage(message: string): Promise<EventDetail> {
  const issues = (await harness.api<IssueList>('/api/issues?status=all&limit=100')).body.issues;
  const issue = issues.find((candidate) => candidate.title.endsWith(message));
  if (!issue) throw new Error(`no issue for ${message}: ${issues.map((i) => i.title).join(', ')}`);
  const latest = await harness.api<EventDetail>(`/api/issues/${issue.id}/events/latest`);
  expect(latest.status).toBe(200);
  return latest.body;
}

const byKey = (value: object): unknown => (value as { k?: unknown }).k;
const byFirst = (value: object): unknown => (value as unknown[])[0];

function otelAttribute(detail: EventDetail, key: string): unknown {
  const raw = detail.raw as { contexts?: { otel?: { attributes?: Record<string, unknown> } } };
  return raw.contexts?.otel?.attributes?.[key];
}

const servers: [string, () => string][] = [
  ['main server', () => harness.core.url],
  ['OTLP listener', () => `http://127.0.0.1:${harness.core.otlpPort}`],
];

describe.each(servers)('OTLP/JSON nested 50,000 levels deep (%s)', (name, base) => {
  const service = `deep-${name.replace(' ', '-')}`;

  it('a log body and attribute are cut at 128 levels, the record kept, and the cut reported as a warning', async () => {
    const response = await post(base(), 'logs', 'application/json', deepLogsExport(service, nestedKvlist(50_000)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ partialSuccess: { rejectedLogRecords: 0, errorMessage: CUT_WARNING } });

    const detail = await eventWithMessage(`deep log from ${service}`);
    expect(detail.event.exception?.values.at(-1)).toMatchObject({ type: 'DeepLogError', value: `deep log from ${service}` });
    // The attribute map sits at contexts.otel.attributes, 4 levels down the event; the stored copy
    // is cut at 128 levels, so objects at depths 4..127 remain under `deep`.
    expect(levelsBelow(otelAttribute(detail, 'deep'), byKey)).toBe(124);
    // The earlier record's body is its breadcrumb's message: the body cut at 128 levels, as JSON.
    const raw = detail.raw as { breadcrumbs: { values: { message: string }[] } };
    expect(raw.breadcrumbs.values).toHaveLength(1);
    expect(levelsBelow(JSON.parse(raw.breadcrumbs.values[0]?.message ?? 'null'), byKey)).toBe(128);
  });

  it('a span event attribute (arrayValue) is cut the same way', async () => {
    const response = await post(base(), 'traces', 'application/json', deepTracesExport(service, nestedArray(50_000)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ partialSuccess: { rejectedSpans: 0, errorMessage: CUT_WARNING } });

    const deep = otelAttribute(await eventWithMessage(`deep span from ${service}`), 'deep');
    expect(levelsBelow(deep, byFirst)).toBe(124);
    // An array keeps a null where a too-deep array was.
    let innermost = deep as unknown[];
    for (let level = 1; level < 124; level++) innermost = innermost[0] as unknown[];
    expect(innermost).toEqual([null]);
  });
});

describe('near the limit', () => {
  it('a value nested 100 levels is stored whole, with no warning', async () => {
    const response = await post(harness.core.url, 'traces', 'application/json', deepTracesExport('shallow', nestedKvlist(100)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const deep = otelAttribute(await eventWithMessage('deep span from shallow'), 'deep');
    expect(levelsBelow(deep, byKey)).toBe(100);
    let bottom = deep;
    for (let level = 0; level < 100; level++) bottom = byKey(bottom as object);
    expect(bottom).toBe('bottom');
  });

  it('a value read whole (126 levels) is stored as sent, and read back cut at the payload depth', async () => {
    const response = await post(harness.core.url, 'traces', 'application/json', deepTracesExport('nearly', nestedKvlist(126)));
    expect(response.status).toBe(200);
    // Within VALUE_DEPTH: nothing was cut on the way in, so no warning.
    expect(await response.json()).toEqual({});
    expect(levelsBelow(otelAttribute(await eventWithMessage('deep span from nearly'), 'deep'), byKey)).toBe(124);
  });
});

/** Protobuf wire helpers: a field tag; submessages length-delimited. */
const LENGTH_DELIMITED = 2;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/**
 * AnyValue bytes nesting `levels` kvlists ({k: …}) around "bottom". Built inside out, one header
 * per message, since protobufjs's typed encoder refuses messages nested deeper than 100 ("max
 * depth exceeded") and Writer.fork() is quadratic at this depth.
 */
function nestedKvlistProtobuf(levels: number): Uint8Array {
  const leaf = protobuf.Writer.create().uint32(tag(1, LENGTH_DELIMITED)).string('bottom').finish();
  const headers: Uint8Array[] = [];
  let size = leaf.length;
  const wrap = (header: protobuf.Writer): void => {
    const bytes = header.uint32(size).finish();
    headers.push(bytes);
    size += bytes.length;
  };
  for (let level = 0; level < levels; level++) {
    wrap(protobuf.Writer.create().uint32(tag(1, LENGTH_DELIMITED)).string('k').uint32(tag(2, LENGTH_DELIMITED))); // KeyValue { key, value }
    wrap(protobuf.Writer.create().uint32(tag(1, LENGTH_DELIMITED))); // KeyValueList { values = 1 }
    wrap(protobuf.Writer.create().uint32(tag(6, LENGTH_DELIMITED))); // AnyValue { kvlist_value = 6 }
  }
  return Buffer.concat([...headers.reverse(), leaf]);
}

/** An ExportLogsServiceRequest whose one log record has exception.* attributes and `deep`. */
function deepLogsProtobuf(service: string, message: string, levels: number): Uint8Array {
  const anyText = (value: string): Uint8Array => protobuf.Writer.create().uint32(tag(1, LENGTH_DELIMITED)).string(value).finish();
  const writer = protobuf.Writer.create();
  const keyValue = (field: number, key: string, value: Uint8Array): void => {
    writer.uint32(tag(field, LENGTH_DELIMITED)).fork().uint32(tag(1, LENGTH_DELIMITED)).string(key).uint32(tag(2, LENGTH_DELIMITED)).bytes(value).ldelim();
  };
  writer.uint32(tag(1, LENGTH_DELIMITED)).fork(); // ResourceLogs resource_logs = 1
  writer.uint32(tag(1, LENGTH_DELIMITED)).fork(); // Resource resource = 1
  keyValue(1, 'service.name', anyText(service)); // attributes = 1
  writer.ldelim();
  writer.uint32(tag(2, LENGTH_DELIMITED)).fork(); // ScopeLogs scope_logs = 2
  writer.uint32(tag(2, LENGTH_DELIMITED)).fork(); // LogRecord log_records = 2
  writer.uint32(tag(2, 0)).uint32(17); // severity_number = 2 (ERROR)
  keyValue(6, 'exception.type', anyText('DeepProtoError')); // attributes = 6
  keyValue(6, 'exception.message', anyText(message));
  keyValue(6, 'deep', nestedKvlistProtobuf(levels));
  writer.ldelim().ldelim().ldelim();
  return writer.finish();
}

/** google.rpc.Status { int32 code = 1; string message = 2; } */
function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  const reader = protobuf.Reader.create(bytes);
  const status = { code: 0, message: '' };
  while (reader.pos < reader.len) {
    const field = reader.uint32();
    if (field >>> 3 === 1) status.code = reader.int32();
    else if (field >>> 3 === 2) status.message = reader.string();
    else reader.skipType(field & 7);
  }
  return status;
}

describe('OTLP/protobuf', () => {
  it('nesting within the decoder limit is read like JSON', async () => {
    // 30 kvlists: the deepest message is 5 + 3 × 30 = 95 levels down, within protobufjs's 100.
    const response = await post(harness.core.url, 'logs', 'application/x-protobuf', deepLogsProtobuf('proto', 'proto within limit', 30));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(0));
    expect(levelsBelow(otelAttribute(await eventWithMessage('proto within limit'), 'deep'), byKey)).toBe(30);
  });

  it.each(servers)('nesting 50,000 levels deep is refused at decoding with 400 and a one-line reason (%s)', async (_name, base) => {
    const before = storeFacts(harness.dataDir);
    const response = await post(base(), 'logs', 'application/x-protobuf', deepLogsProtobuf('proto', 'proto too deep', 50_000));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeStatus(new Uint8Array(await response.arrayBuffer()))).toEqual({
      code: 3,
      message: 'body is not a valid protobuf ExportLogsServiceRequest: max depth exceeded',
    });
    expect(storeFacts(harness.dataDir)).toEqual(before);
  });
});

describe('afterwards', () => {
  it('every stored payload decodes and every event was counted once', () => {
    // 2 servers × (1 log + 1 span) + 2 spans near the limit + 1 protobuf log.
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: 7, countedEvents: 7, undecodablePayloads: 0, orphanEvents: 0 });
  });
});
