/**
 * Builds a raw Sentry event (the JSON an SDK would send) from one OTLP exception occurrence; the
 * normalizer then turns it into a SentryEvent like any other.
 */
import type { Breadcrumb, ExceptionValue, Mechanism } from '../../../shared/event';
import { parseStack, type ParsedStack } from '../../pipeline/stack-parsers';
import { splitQualifiedType } from '../../pipeline/stack-parsers/header';
import { directoryOf, nodeModuleName } from '../../pipeline/stack-parsers/node-module';
import { otlpEventId } from './event-id';
import { nanosToSeconds, type ExceptionOccurrence } from './find-exceptions';
import { environment, platform, runtimeContexts, sdk, stringAttribute, tagsFrom } from './resource-mapping';

export type RawSentryEvent = Record<string, unknown>;

export function buildSentryEvent(occurrence: ExceptionOccurrence, receivedAt: number): RawSentryEvent {
  const { resource } = occurrence;
  const parsed = occurrence.exception.stacktrace ? parseStack(occurrence.exception.stacktrace) : null;
  if (parsed?.runtime === 'node') nameNodeModules(parsed, stringAttribute(resource, 'process.command'));
  const event: RawSentryEvent = {
    event_id: otlpEventId(occurrence),
    timestamp: occurrence.timeUnixNano !== '0' ? nanosToSeconds(occurrence.timeUnixNano) : receivedAt,
    platform: platform(resource, parsed?.runtime),
    level: occurrence.log?.level ?? 'error',
    exception: { values: exceptionValues(occurrence, parsed) },
    tags: tagsFrom(resource, occurrence.attributes),
    contexts: contexts(occurrence),
  };
  const assign = (key: string, value: unknown): void => {
    if (value !== undefined && value !== '') event[key] = value;
  };
  assign('release', stringAttribute(resource, 'service.version'));
  assign('environment', environment(resource));
  assign('server_name', stringAttribute(resource, 'host.name'));
  assign('sdk', sdk(resource));
  assign('transaction', occurrence.spanName);
  if (occurrence.log) {
    assign('logger', occurrence.scope.name);
    const body = occurrence.log.body;
    if (typeof body === 'string' && body !== occurrence.exception.message) assign('message', body);
  }
  if (occurrence.breadcrumbs.length > 0) event['breadcrumbs'] = { values: occurrence.breadcrumbs satisfies Breadcrumb[] };
  return event;
}

/**
 * Node frames get the module @sentry/node would give them, relative to the entry script's folder
 * (OTel's process detector reports the script as `process.command`).
 */
function nameNodeModules(parsed: ParsedStack, entryScript: string | undefined): void {
  const appRoot = entryScript && /^(?:[A-Za-z]:)?[\\/]/.test(entryScript) ? directoryOf(entryScript) : undefined;
  for (const exception of parsed.exceptions) {
    for (const frame of exception.frames) {
      if (frame.module === undefined && frame.filename) frame.module = nodeModuleName(frame.filename, appRoot);
    }
  }
}

/** The parsed chain (causes first), its last value named by the exception.* attributes. */
function exceptionValues(occurrence: ExceptionOccurrence, parsed: ParsedStack | null): ExceptionValue[] {
  const { exception } = occurrence;
  const chain = parsed?.exceptions ?? [{ frames: [] }];
  const values = chain.map((parsedException, index): ExceptionValue => {
    const value: ExceptionValue = {};
    if (parsedException.type) value.type = parsedException.type;
    if (parsedException.module) value.module = parsedException.module;
    if (parsedException.value !== undefined) value.value = parsedException.value;
    if (parsedException.frames.length > 0) value.stacktrace = { frames: parsedException.frames };
    value.mechanism = mechanism(index, chain.length, exception.escaped);
    return value;
  });
  const raised = values[values.length - 1];
  if (raised) {
    if (exception.type) {
      // Java and Python SDKs report `pkg.Class`; Sentry keeps the package in `module`, as for causes.
      const qualified = parsed?.runtime === 'java' || parsed?.runtime === 'python' ? splitQualifiedType(exception.type) : { type: exception.type };
      raised.type = qualified.type;
      if (qualified.module) raised.module = qualified.module;
    }
    if (exception.message !== undefined) raised.value = exception.message;
  }
  return values;
}

/** The raised exception is id 0; each cause points at the exception it caused. */
function mechanism(index: number, count: number, escaped: boolean | undefined): Mechanism {
  const exceptionId = count - 1 - index;
  const result: Mechanism = exceptionId === 0 ? { type: 'otlp' } : { type: 'chained', source: 'cause' };
  if (escaped !== undefined && exceptionId === 0) result.data = { escaped };
  if (count > 1) {
    result.exception_id = exceptionId;
    if (exceptionId > 0) result.parent_id = exceptionId - 1;
  }
  return result;
}

function contexts(occurrence: ExceptionOccurrence): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = { ...runtimeContexts(occurrence.resource) };
  if (occurrence.traceId) {
    const trace: Record<string, unknown> = { type: 'trace', trace_id: occurrence.traceId };
    if (occurrence.spanId) trace['span_id'] = occurrence.spanId;
    if (occurrence.parentSpanId) trace['parent_span_id'] = occurrence.parentSpanId;
    result['trace'] = trace;
  }
  const otel: Record<string, unknown> = { type: 'otel', resource: occurrence.resource, attributes: occurrence.attributes };
  if (occurrence.scope.name) otel['scope'] = occurrence.scope;
  if (occurrence.log?.severityText) otel['severity_text'] = occurrence.log.severityText;
  result['otel'] = otel;
  return result;
}
