/** Decoding with the official schema keeps 64-bit integers exact. */
import protobuf from 'protobufjs';
import { expect, test } from 'vitest';
import { decodeExportRequest } from '../../../src/main/ingest/otlp/proto-schema';
import { readTraces } from '../../../src/main/ingest/otlp/read-otlp';

/** ExportTraceServiceRequest with one resource attribute `n` = int64 and one span, written by hand. */
function encodedRequest(intValue: string, timeUnixNano: string): Uint8Array {
  const anyValue = protobuf.Writer.create().uint32((3 << 3) | 0).int64(intValue).finish();
  const keyValue = protobuf.Writer.create().uint32((1 << 3) | 2).string('n').uint32((2 << 3) | 2).bytes(anyValue).finish();
  const resource = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(keyValue).finish();
  const span = protobuf.Writer.create()
    .uint32((1 << 3) | 2).bytes(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'))
    .uint32((7 << 3) | 1).fixed64(timeUnixNano)
    .finish();
  const scopeSpans = protobuf.Writer.create().uint32((2 << 3) | 2).bytes(span).finish();
  const resourceSpans = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(resource).uint32((2 << 3) | 2).bytes(scopeSpans).finish();
  return protobuf.Writer.create().uint32((1 << 3) | 2).bytes(resourceSpans).finish();
}

test('int64 attributes beyond 2^53 and fixed64 nanosecond times survive decoding exactly', () => {
  const [batch] = readTraces(decodeExportRequest('traces', encodedRequest('9007199254740993', '1795635019357719763')));
  expect(batch?.resource).toEqual({ n: '9007199254740993' });
  expect(batch?.items[0]?.startTimeUnixNano).toBe('1795635019357719763');
  expect(batch?.items[0]?.traceId).toBe('5b8efff798038103d269b633813fc60c');
});

test('int64 values that fit stay numbers', () => {
  const [batch] = readTraces(decodeExportRequest('traces', encodedRequest('-42', '0')));
  expect(batch?.resource).toEqual({ n: -42 });
  expect(batch?.items[0]?.startTimeUnixNano).toBe('0');
});
