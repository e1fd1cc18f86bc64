/**
 * Finds the exceptions in an export request: span events named `exception`, and log records that
 * carry `exception.*` attributes. Logs in the same request and trace become their breadcrumbs.
 */
import type { Breadcrumb, Level } from '../../../shared/event';
import type { AttributeValue, Attributes, OtlpLogRecord, OtlpLogs, OtlpScope, OtlpTraces } from './otlp-types';

export interface ExceptionAttributes {
  type?: string;
  message?: string;
  stacktrace?: string;
  escaped?: boolean;
}

export interface ExceptionOccurrence {
  signal: 'traces' | 'logs';
  resource: Attributes;
  scope: OtlpScope;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  /** When the exception was recorded (decimal nanoseconds; "0" when unknown). */
  timeUnixNano: string;
  exception: ExceptionAttributes;
  /** The span's or log record's own attributes, without the `exception.*` ones. */
  attributes: Attributes;
  spanName?: string;
  log?: { level: Level; body: AttributeValue; severityText: string };
  breadcrumbs: Breadcrumb[];
  /** Position of the span or log record in the request, to count rejected ones once. */
  itemIndex: number;
}

export function exceptionsInTraces(traces: OtlpTraces): ExceptionOccurrence[] {
  const found: ExceptionOccurrence[] = [];
  let itemIndex = 0;
  for (const batch of traces) {
    for (const span of batch.items) {
      for (const event of span.events) {
        const exception = event.name === 'exception' ? readException(event.attributes) : null;
        if (!exception) continue;
        found.push({
          signal: 'traces',
          resource: batch.resource,
          scope: batch.scope,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId,
          timeUnixNano: event.timeUnixNano !== '0' ? event.timeUnixNano : span.endTimeUnixNano,
          exception,
          attributes: { ...span.attributes, ...withoutExceptionKeys(event.attributes) },
          spanName: span.name,
          breadcrumbs: [],
          itemIndex,
        });
      }
      itemIndex++;
    }
  }
  return found;
}

export function exceptionsInLogs(logs: OtlpLogs): ExceptionOccurrence[] {
  const found: ExceptionOccurrence[] = [];
  let itemIndex = 0;
  for (const batch of logs) {
    for (const record of batch.items) {
      const exception = readException(record.attributes);
      if (exception) {
        found.push({
          signal: 'logs',
          resource: batch.resource,
          scope: batch.scope,
          traceId: record.traceId,
          spanId: record.spanId,
          parentSpanId: '',
          timeUnixNano: recordTime(record),
          exception,
          attributes: withoutExceptionKeys(record.attributes),
          log: { level: levelFromSeverity(record.severityNumber), body: record.body, severityText: record.severityText },
          breadcrumbs: breadcrumbsFor(logs, batch.resource, record),
          itemIndex,
        });
      }
      itemIndex++;
    }
  }
  return found;
}

/** OTel requires exception.type or exception.message; a stack alone still names the error. */
function readException(attributes: Attributes): ExceptionAttributes | null {
  const exception: ExceptionAttributes = {};
  const type = attributes['exception.type'];
  const message = attributes['exception.message'];
  const stacktrace = attributes['exception.stacktrace'];
  if (typeof type === 'string' && type.trim() !== '') exception.type = type.trim();
  if (typeof message === 'string' && message !== '') exception.message = message;
  if (typeof stacktrace === 'string' && stacktrace.trim() !== '') exception.stacktrace = stacktrace;
  if (typeof attributes['exception.escaped'] === 'boolean') exception.escaped = attributes['exception.escaped'];
  return exception.type || exception.message || exception.stacktrace ? exception : null;
}

function withoutExceptionKeys(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !key.startsWith('exception.')));
}

function recordTime(record: OtlpLogRecord): string {
  return record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
}

/** OTel severity numbers: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL. */
export function levelFromSeverity(severityNumber: number): Level {
  if (severityNumber <= 0) return 'error';
  if (severityNumber <= 8) return 'debug';
  if (severityNumber <= 12) return 'info';
  if (severityNumber <= 16) return 'warning';
  if (severityNumber <= 20) return 'error';
  return 'fatal';
}

const MAX_BREADCRUMBS = 100;

/**
 * Earlier records of the same trace (or, when the exception's record has no trace, earlier
 * trace-less records of the same resource), oldest first.
 */
function breadcrumbsFor(logs: OtlpLogs, resource: Attributes, target: OtlpLogRecord): Breadcrumb[] {
  const targetTime = BigInt(recordTime(target));
  const related: { time: bigint; record: OtlpLogRecord; scope: OtlpScope }[] = [];
  for (const batch of logs) {
    for (const record of batch.items) {
      if (record === target) continue;
      const sameTrace = target.traceId !== '' ? record.traceId === target.traceId : record.traceId === '' && batch.resource === resource;
      const time = BigInt(recordTime(record));
      if (sameTrace && time <= targetTime) related.push({ time, record, scope: batch.scope });
    }
  }
  related.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return related.slice(-MAX_BREADCRUMBS).map(({ record, scope }) => toBreadcrumb(record, scope));
}

function toBreadcrumb(record: OtlpLogRecord, scope: OtlpScope): Breadcrumb {
  const breadcrumb: Breadcrumb = {
    timestamp: nanosToSeconds(recordTime(record)),
    type: 'default',
    category: scope.name ?? 'log',
    level: levelFromSeverity(record.severityNumber),
    message: typeof record.body === 'string' ? record.body : JSON.stringify(record.body),
  };
  if (Object.keys(record.attributes).length > 0) breadcrumb.data = { ...record.attributes };
  return breadcrumb;
}

/** Seconds (float, microsecond precision) from decimal nanoseconds. */
export function nanosToSeconds(nanos: string): number {
  return Number(BigInt(nanos) / 1000n) / 1e6;
}
