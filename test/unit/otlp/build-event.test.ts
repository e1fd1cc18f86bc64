/** The OTLP → Sentry event mapping, on plain data. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildSentryEvent } from '../../../src/main/ingest/otlp/build-event';
import type { ExceptionOccurrence } from '../../../src/main/ingest/otlp/find-exceptions';

const javaStack = readFileSync(join(__dirname, '../../fixtures/stacks/java-caused-by.txt'), 'utf8');

function occurrence(overrides: Partial<ExceptionOccurrence> = {}): ExceptionOccurrence {
  return {
    signal: 'traces',
    resource: {
      'service.name': 'orders',
      'service.version': '1.4.0',
      'deployment.environment.name': 'production',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'java',
      'telemetry.sdk.version': '1.44.0',
      'process.runtime.name': 'OpenJDK Runtime Environment',
      'process.runtime.version': '17.0.15',
      'k8s.pod.name': 'orders-7d9f',
    },
    scope: { name: 'io.opentelemetry.spring-webmvc-6.0', version: '2.10.0' },
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '53995c3f42cd8ad8',
    timeUnixNano: '1795635019357719763',
    exception: { type: 'com.acme.checkout.Checkout$TaxServiceException', message: 'tax service unavailable', stacktrace: javaStack },
    attributes: { 'http.route': '/orders/{id}', 'http.request.body': 'x'.repeat(300) },
    spanName: 'POST /orders/{id}',
    breadcrumbs: [],
    itemIndex: 0,
    ...overrides,
  };
}

test('a Java span exception: chained causes, release, environment, sdk, platform, trace and otel contexts', () => {
  const event = buildSentryEvent(occurrence(), 1795635020);
  expect(event).toMatchObject({
    timestamp: 1795635019.357719,
    platform: 'java',
    level: 'error',
    release: '1.4.0',
    environment: 'production',
    sdk: { name: 'opentelemetry.java', version: '1.44.0' },
    transaction: 'POST /orders/{id}',
    // Resource attributes in the sender's order, then the span's; the 300-character body is no tag.
    tags: [['process.runtime.name', 'OpenJDK Runtime Environment'], ['process.runtime.version', '17.0.15'], ['k8s.pod.name', 'orders-7d9f'], ['http.route', '/orders/{id}']],
  });
  expect(event['event_id']).toMatch(/^[0-9a-f]{32}$/);
  const values = (event['exception'] as { values: { type: string; module?: string; value: string; mechanism: unknown; stacktrace: { frames: unknown[] } }[] }).values;
  expect(values.map((value) => [value.module, value.type, value.value, value.mechanism])).toEqual([
    ['java.lang', 'NumberFormatException', 'For input string: "x7"', { type: 'chained', source: 'cause', exception_id: 2, parent_id: 1 }],
    ['java.lang', 'IllegalStateException', 'bad rate for region EU', { type: 'chained', source: 'cause', exception_id: 1, parent_id: 0 }],
    ['com.acme.checkout', 'Checkout$TaxServiceException', 'tax service unavailable', { type: 'otlp', exception_id: 0 }],
  ]);
  expect(values[2]?.stacktrace.frames).toHaveLength(3);
  const contexts = event['contexts'] as Record<string, Record<string, unknown>>;
  expect(contexts['trace']).toEqual({ type: 'trace', trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174', parent_span_id: '53995c3f42cd8ad8' });
  expect(contexts['runtime']).toEqual({ type: 'runtime', name: 'OpenJDK Runtime Environment', version: '17.0.15' });
  expect(contexts['otel']?.['resource']).toEqual(occurrence().resource);
  expect(contexts['otel']?.['attributes']).toEqual(occurrence().attributes);
});

test('without a parseable stack: one exception value, no frames (grouping falls back to type and message)', () => {
  const event = buildSentryEvent(occurrence({ exception: { type: 'TimeoutError', message: 'gave up after 30s', stacktrace: 'no frames here' } }), 1);
  expect(event['exception']).toEqual({ values: [{ type: 'TimeoutError', value: 'gave up after 30s', mechanism: { type: 'otlp' } }] });
});

test('the event id is stable for a retried export and differs for another occurrence', () => {
  const first = buildSentryEvent(occurrence(), 1)['event_id'];
  expect(buildSentryEvent(occurrence(), 999)['event_id']).toBe(first);
  expect(buildSentryEvent(occurrence({ timeUnixNano: '1795635019357719764' }), 1)['event_id']).not.toBe(first);
  expect(buildSentryEvent(occurrence({ itemIndex: 1 }), 1)['event_id']).not.toBe(first);
});

test('without telemetry.sdk.language the platform comes from process.runtime.name, then from the stack', () => {
  const { 'telemetry.sdk.language': _language, ...resource } = occurrence().resource;
  expect(buildSentryEvent(occurrence({ resource }), 1)['platform']).toBe('java');
  expect(buildSentryEvent(occurrence({ resource: { 'service.name': 'x' } }), 1)['platform']).toBe('java');
  expect(buildSentryEvent(occurrence({ resource: { 'service.name': 'x' }, exception: { type: 'E' } }), 1)['platform']).toBe('other');
});
