/**
 * The OTLP protobuf schema (official opentelemetry-proto files, see proto/README.md) loaded into
 * protobufjs, and the few message types ingest decodes and encodes.
 *
 * protobufjs and the parsed schema (~2–3 MB of RSS) are loaded by the first protobuf request,
 * not at start-up: most users never send OTLP protobuf, and memory is a target (issue 14). The
 * schema is parsed by the unit tests, so a broken one still fails before it ships.
 */
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import commonProto from './proto/opentelemetry/proto/common/v1/common.proto?raw';
import resourceProto from './proto/opentelemetry/proto/resource/v1/resource.proto?raw';
import traceProto from './proto/opentelemetry/proto/trace/v1/trace.proto?raw';
import logsProto from './proto/opentelemetry/proto/logs/v1/logs.proto?raw';
import traceServiceProto from './proto/opentelemetry/proto/collector/trace/v1/trace_service.proto?raw';
import logsServiceProto from './proto/opentelemetry/proto/collector/logs/v1/logs_service.proto?raw';
import statusProto from './proto/google/rpc/status.proto?raw';
import exportResponseProto from './proto/stacktray/export_response.proto?raw';

export type OtlpSignal = 'traces' | 'logs';

interface OtlpTypes {
  request: Record<OtlpSignal, Protobuf.Type>;
  response: Record<OtlpSignal, Protobuf.Type>;
  status: Protobuf.Type;
}

let types: OtlpTypes | null = null;

function loadTypes(): OtlpTypes {
  if (types) return types;
  const protobuf = createRequire(import.meta.url)('protobufjs') as typeof Protobuf;
  const root = new protobuf.Root();
  const anyProto = protobuf.common.get('google/protobuf/any.proto');
  if (anyProto?.nested) root.addJSON(anyProto.nested);
  for (const source of [commonProto, resourceProto, traceProto, logsProto, traceServiceProto, logsServiceProto, statusProto, exportResponseProto]) {
    protobuf.parse(source, root);
  }
  root.resolveAll();
  types = {
    request: {
      traces: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
      logs: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    },
    response: {
      traces: root.lookupType('stacktray.otlp.v1.ExportTraceServiceResponse'),
      logs: root.lookupType('stacktray.otlp.v1.ExportLogsServiceResponse'),
    },
    status: root.lookupType('google.rpc.Status'),
  };
  return types;
}

/**
 * Decodes an export request into plain objects with OTLP/JSON's field names. 64-bit integers
 * become decimal strings (never lossy numbers); bytes stay Uint8Array. Throws on malformed input.
 */
export function decodeExportRequest(signal: OtlpSignal, body: Uint8Array): Record<string, unknown> {
  const type = loadTypes().request[signal];
  const message = type.decode(body);
  return type.toObject(message, { longs: String, enums: Number });
}

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

export function encodeExportResponse(signal: OtlpSignal, partial: PartialSuccess | null): Buffer {
  const type = loadTypes().response[signal];
  if (!partial) return Buffer.from(type.encode(type.create({})).finish());
  const counter = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const message = type.fromObject({ partialSuccess: { [counter]: partial.rejected, errorMessage: partial.errorMessage } });
  return Buffer.from(type.encode(message).finish());
}

export function encodeStatus(code: number, message: string): Buffer {
  const type = loadTypes().status;
  return Buffer.from(type.encode(type.create({ code, message })).finish());
}
