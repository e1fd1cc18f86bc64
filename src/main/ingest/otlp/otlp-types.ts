/** An OTLP export request, read from either encoding into one shape. */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** Attribute key → value, in the order the sender listed them. */
export type Attributes = Record<string, AttributeValue>;

export interface OtlpScope {
  name?: string;
  version?: string;
}

export interface OtlpSpanEvent {
  name: string;
  /** Nanoseconds since the epoch as a decimal string ("0" when unset). */
  timeUnixNano: string;
  attributes: Attributes;
}

export interface OtlpSpan {
  /** Lowercase hex, "" when unset. */
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attributes;
  events: OtlpSpanEvent[];
  status: { code: number; message: string };
}

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  traceId: string;
  spanId: string;
  eventName: string;
}

/** One resource + scope pair with its spans or log records (OTLP nests them; we flatten). */
export interface OtlpScopeBatch<T> {
  resource: Attributes;
  scope: OtlpScope;
  items: T[];
}

export type OtlpTraces = OtlpScopeBatch<OtlpSpan>[];
export type OtlpLogs = OtlpScopeBatch<OtlpLogRecord>[];

/** The request does not follow the OTLP schema: answered with 400 and this message. */
export class OtlpFormatError extends Error {
  override readonly name = 'OtlpFormatError';
}
