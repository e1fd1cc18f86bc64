/**
 * OTLP/HTTP on the wire: which encoding a request uses, decoding its body, and answering in the
 * same encoding (an export response, or a google.rpc.Status for errors).
 */
import type { FastifyReply } from 'fastify';
import { OtlpFormatError } from './otlp-types';
import { decodeExportRequest, encodeExportResponse, encodeStatus, type OtlpSignal, type PartialSuccess } from './proto-schema';

export type OtlpEncoding = 'protobuf' | 'json';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
export const JSON_CONTENT_TYPE = 'application/json';

/** null: neither encoding (answered 415). */
export function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return null;
}

/** The request as plain objects, in OTLP/JSON field names; OtlpFormatError when it does not parse. */
export function decodeBody(signal: OtlpSignal, encoding: OtlpEncoding, body: Buffer): unknown {
  if (encoding === 'protobuf') {
    try {
      return decodeExportRequest(signal, body);
    } catch (error) {
      throw new OtlpFormatError(`body is not a valid protobuf ${requestName(signal)}: ${(error as Error).message}`);
    }
  }
  if (body.length === 0) throw new OtlpFormatError(`body is empty; expected a JSON ${requestName(signal)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OtlpFormatError(`body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpFormatError(`body must be a JSON object (${requestName(signal)})`);
  }
  return parsed;
}

function requestName(signal: OtlpSignal): string {
  return signal === 'traces' ? 'ExportTraceServiceRequest' : 'ExportLogsServiceRequest';
}

export function sendExportResponse(reply: FastifyReply, signal: OtlpSignal, encoding: OtlpEncoding, partial: PartialSuccess | null): FastifyReply {
  if (encoding === 'protobuf') return reply.code(200).type(PROTOBUF_CONTENT_TYPE).send(encodeExportResponse(signal, partial));
  if (!partial) return reply.code(200).type(JSON_CONTENT_TYPE).send({});
  const counter = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  return reply
    .code(200)
    .type(JSON_CONTENT_TYPE)
    .send({ partialSuccess: { [counter]: partial.rejected, errorMessage: partial.errorMessage } });
}

/** gRPC status codes for the google.rpc.Status body, by HTTP status. */
const GRPC_CODE_BY_HTTP: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  503: 14, // UNAVAILABLE
};

export function sendStatus(reply: FastifyReply, encoding: OtlpEncoding, httpStatus: number, message: string): FastifyReply {
  const code = GRPC_CODE_BY_HTTP[httpStatus] ?? 13; // INTERNAL
  const oneLine = message.replace(/\s+/g, ' ').trim();
  reply.code(httpStatus);
  if (encoding === 'protobuf') return reply.type(PROTOBUF_CONTENT_TYPE).send(encodeStatus(code, oneLine));
  return reply.type(JSON_CONTENT_TYPE).send({ code, message: oneLine });
}
