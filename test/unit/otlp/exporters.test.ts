/** Real OpenTelemetry JS exporters (HTTP/JSON and HTTP/protobuf, 0.223.1) against a live server. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SentryEvent } from '../../../src/shared/event';
import { checkoutApp, checkoutResource, logExporter, logging, traceExporter, tracing, type ExporterChoice } from './support/otel-clients';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const raised = (event: SentryEvent) => event.exception?.values.at(-1);
const frames = (event: SentryEvent) => raised(event)?.stacktrace?.frames ?? [];
const storedEvents = () => server.sink.events.map(({ event }) => event);

describe.each<ExporterChoice>([
  { encoding: 'json' },
  { encoding: 'protobuf' },
  { encoding: 'json', gzip: true },
  { encoding: 'protobuf', gzip: true },
])('traces over %o', (choice) => {
  test('the same error twice from one function has identical frames; another error differs', async () => {
    const client = tracing([traceExporter(server.url, choice)]);
    for (const orderId of [1001, 1002]) client.failSpan('POST /checkout', checkoutApp.caught(() => checkoutApp.calculateTax(orderId)));
    client.failSpan('POST /inventory/reserve', checkoutApp.caught(() => checkoutApp.reserveStock('A-1', 2)));
    client.statusOnlySpan('GET /health');
    await client.flush();

    const [first, second, third, ...rest] = storedEvents();
    expect(rest).toEqual([]);
    expect([first, second, third].map((event) => `${raised(event!)?.type}: ${raised(event!)?.value}`)).toEqual([
      'TaxServiceError: tax service unavailable',
      'TaxServiceError: tax service unavailable',
      'InventoryError: SKU A-1 out of stock (requested 2)',
    ]);
    expect(frames(first!).length).toBeGreaterThan(3);
    expect(frames(second!)).toEqual(frames(first!));
    expect(frames(third!)).not.toEqual(frames(first!));
    expect(frames(first!).at(-1)).toMatchObject({ function: 'Object.calculateTax', lineno: 16, colno: 9, in_app: true });
    expect(frames(third!).at(-1)).toMatchObject({ function: 'Object.reserveStock', lineno: 20, colno: 9, in_app: true });
    // vitest's own frames live in node_modules: not the application's code.
    expect(frames(first!).some((frame) => frame.abs_path?.includes('/node_modules/') && frame.in_app === false)).toBe(true);
    expect(first?.level).toBe('error');
    expect(first?.contexts?.['trace']?.['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.contexts?.['trace']?.['span_id']).toMatch(/^[0-9a-f]{16}$/);
  });
});

test('service.name picks (and creates) the project; version and environment land in release and environment', async () => {
  const checkout = tracing([traceExporter(server.url, { encoding: 'protobuf' })]);
  checkout.failSpan('POST /checkout', checkoutApp.caught(() => checkoutApp.calculateTax(1)));
  await checkout.flush();
  const legacy = tracing(
    [traceExporter(server.url, { encoding: 'json' })],
    checkoutResource({ 'service.name': 'billing', 'service.version': '9.0.0', 'deployment.environment.name': '', 'deployment.environment': 'production' }),
  );
  legacy.failSpan('charge', checkoutApp.caught(() => checkoutApp.calculateTax(2)));
  await legacy.flush();

  const stored = server.sink.events.map(({ projectId, event }) => [server.projects.nameOf(projectId), event.release, event.environment]);
  expect(stored).toEqual([
    ['checkout', '2.4.1', 'staging'],
    ['billing', '9.0.0', 'production'],
  ]);
  expect(server.projects.projects.map((project) => project.name)).toEqual(['default', 'checkout', 'billing']);
  const sdk = server.sink.events[0]?.event.sdk;
  expect(sdk?.name).toBe('opentelemetry.nodejs');
  expect(sdk?.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(server.sink.events[0]?.event.platform).toBe('node');
});

test('protobuf and JSON exports of the same span give the same event', async () => {
  const client = tracing([traceExporter(server.url, { encoding: 'json' }), traceExporter(server.url, { encoding: 'protobuf', gzip: true })]);
  client.failSpan('POST /checkout', checkoutApp.caught(() => checkoutApp.calculateTax(7)));
  await client.flush();
  const [fromJson, fromProto] = server.sink.events;
  expect(server.sink.events).toHaveLength(2);
  expect({ ...fromProto!.event, received: 0 }).toEqual({ ...fromJson!.event, received: 0 });
  expect(fromProto!.payload).toBe(fromJson!.payload);
});

test('protobuf and JSON exports of the same log records give the same event, with breadcrumbs from its trace', async () => {
  const client = logging([logExporter(server.url, { encoding: 'json', gzip: true }), logExporter(server.url, { encoding: 'protobuf' })]);
  const traceId = '5b8efff798038103d269b633813fc60c';
  const start = Date.UTC(2026, 10, 25, 20, 0, 0);
  client.info('settling invoice for order 1001', traceId, start);
  client.info('another request', '0af7651916cd43dd8448eb211c80319c', start + 1);
  client.error('invoice settlement failed for order 1001', checkoutApp.caught(() => checkoutApp.calculateTax(1001)), traceId, start + 2);
  client.info('not an error', traceId, start + 3);
  await client.flush();

  expect(server.sink.events).toHaveLength(2);
  const [fromJson, fromProto] = server.sink.events.map(({ event }) => ({ ...event, received: 0 }));
  expect(fromProto).toEqual(fromJson);
  expect(raised(fromJson!)).toMatchObject({ type: 'TaxServiceError', value: 'tax service unavailable' });
  expect(fromJson?.message).toBe('invoice settlement failed for order 1001');
  expect(fromJson?.timestamp).toBe((start + 2) / 1000);
  expect(fromJson?.breadcrumbs?.values).toEqual([
    { timestamp: start / 1000, type: 'default', category: 'checkout-logger', level: 'info', message: 'settling invoice for order 1001' },
  ]);
});

test('a log record without exception attributes is not an issue, at any severity', async () => {
  const client = logging([logExporter(server.url, { encoding: 'json' })]);
  client.info('just information', '5b8efff798038103d269b633813fc60c', Date.now());
  await client.flush();
  expect(server.sink.envelopes).toEqual([]);
});

test('a fatal log record becomes a fatal event', async () => {
  const client = logging([logExporter(server.url, { encoding: 'protobuf' })]);
  client.error('process crashed', checkoutApp.caught(() => checkoutApp.reserveStock('B-2', 1)), '5b8efff798038103d269b633813fc60c', Date.now(), 21);
  await client.flush();
  expect(storedEvents().map((event) => event.level)).toEqual(['fatal']);
});

test("the keyed route stores into the URL's project, whatever the service", async () => {
  const client = tracing([
    traceExporter(server.url, {
      encoding: 'protobuf',
      path: '/api/1/integration/otlp/v1/traces',
      headers: { 'x-sentry-auth': 'Sentry sentry_key=key-1, sentry_version=7' },
    }),
  ]);
  client.failSpan('POST /checkout', checkoutApp.caught(() => checkoutApp.calculateTax(3)));
  await client.flush();
  expect(server.sink.events.map(({ projectId }) => projectId)).toEqual([1]);
  expect(server.projects.projects).toHaveLength(1);
});
