/** Replays real exporter requests captured into test/fixtures/otlp (and ../shared/fixtures/wire beside the checkout when present). */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SentryEvent } from '../../../src/shared/event';
import { startTestServer, type TestServer } from './support/test-server';
import { loadWireFixture, replay } from './support/wire-fixture';
import { sharedFixture } from '../../support/shared-fixtures';

const FIXTURES = join(__dirname, '../../fixtures/otlp');

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const titles = (events: { event: SentryEvent }[]) =>
  events.map(({ event }) => {
    const raised = event.exception?.values.at(-1);
    return `${raised?.type}: ${raised?.value}`;
  });
const functions = (event: SentryEvent) => event.exception?.values.at(-1)?.stacktrace?.frames.map((frame) => frame.function ?? '?') ?? [];

describe.each(['traces-json', 'traces-proto-gzip'])('%s fixture', (name) => {
  test('three exception events become three events; error status alone and healthy spans do not', async () => {
    const fixture = loadWireFixture(join(FIXTURES, `${name}.json`));
    const response = await replay(server.url, fixture);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(fixture.headers['content-type']);
    if (name.includes('proto')) expect((await response.arrayBuffer()).byteLength).toBe(0);
    else expect(await response.json()).toEqual({});
    const events = server.sink.events;
    expect(titles(events)).toEqual([
      'TaxServiceError: tax service unavailable',
      'TaxServiceError: tax service unavailable',
      'InventoryError: SKU A-1 out of stock (requested 2)',
    ]);
    expect(new Set(events.map((event) => server.projects.nameOf(event.projectId)))).toEqual(new Set(['checkout']));
    const [first, second, third] = events.map(({ event }) => event);
    expect(first?.release).toBe('2.4.1');
    expect(first?.environment).toBe('staging');
    expect(first?.platform).toBe('node');
    expect(first?.sdk).toEqual({ name: 'opentelemetry.nodejs', version: '2.12.1' });
    expect(first?.server_name).toBe('build-box');
    expect(first?.transaction).toBe('POST /checkout');
    // calculateTax ← the arrow passed to caught() (anonymous) ← caught
    expect(functions(first!).slice(-3)).toEqual(['Object.caught', '?', 'Object.calculateTax']);
    expect(second?.exception?.values.at(-1)?.stacktrace?.frames).toEqual(first?.exception?.values.at(-1)?.stacktrace?.frames);
    expect(functions(third!).at(-1)).toBe('Object.reserveStock');
    expect(first?.event_id).not.toBe(second?.event_id);
  });

  test('a retried export yields the same event ids', async () => {
    const fixture = loadWireFixture(join(FIXTURES, `${name}.json`));
    await replay(server.url, fixture);
    await replay(server.url, fixture);
    const ids = server.sink.events.map(({ event }) => event.event_id);
    expect(ids).toHaveLength(6);
    expect(ids.slice(3)).toEqual(ids.slice(0, 3));
  });
});

describe.each(['logs-json-gzip', 'logs-proto'])('%s fixture', (name) => {
  test('the ERROR record with exception attributes is one event; earlier logs of its trace are breadcrumbs', async () => {
    const response = await replay(server.url, loadWireFixture(join(FIXTURES, `${name}.json`)));
    expect(response.status).toBe(200);
    const events = server.sink.events;
    expect(titles(events)).toEqual(['TaxServiceError: tax service unavailable']);
    const event = events[0]!.event;
    expect(event.level).toBe('error');
    expect(event.logger).toBe('checkout-logger');
    expect(event.message).toBe('invoice settlement failed for order 1001');
    expect(event.contexts?.['trace']).toMatchObject({ trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174' });
    expect(event.breadcrumbs?.values.map((crumb) => [crumb.level, crumb.message])).toEqual([
      ['info', 'settling invoice for order 1001'],
      ['warning', 'tax service slow, retrying'],
    ]);
    expect(event.timestamp).toBe(Date.UTC(2026, 10, 25, 20, 0, 0, 20) / 1000);
  });
});

// ../shared holds the team's captured SDK traffic; it is absent on a fresh clone and in CI
// outside this workplace, so these replays run only where it exists.
const SHARED = sharedFixture('fixtures/wire', 'the OTLP replays of the shared wire fixtures', 'o1') ?? '';
describe.runIf(SHARED !== '')('shared wire fixtures', () => {
  test('o1: three exception spans → TaxServiceError ×2 (identical frames) and InventoryError ×1 for service checkout', async () => {
    const response = await replay(server.url, loadWireFixture(join(SHARED, 'o1/o1-001-otlp-traces.json')));
    expect(response.status).toBe(200);
    const events = server.sink.events;
    expect(titles(events)).toEqual([
      'TaxServiceError: tax service unavailable',
      'TaxServiceError: tax service unavailable',
      'InventoryError: SKU A-1 out of stock (requested 2)',
    ]);
    const [first, second] = events.map(({ event }) => event);
    expect(second?.exception?.values.at(-1)?.stacktrace?.frames).toEqual(first?.exception?.values.at(-1)?.stacktrace?.frames);
    expect(functions(first!)).toContain('handleCheckout');
    expect(events.map(({ event }) => [server.projects.nameOf(events[0]!.projectId), event.release, event.environment])).toEqual([
      ['checkout', '2.4.1', 'staging'],
      ['checkout', '2.4.1', 'staging'],
      ['checkout', '2.4.1', 'staging'],
    ]);
  });

  test('o3: only the ERROR record is an issue; its stack runs calculateTax ← settleInvoice', async () => {
    const response = await replay(server.url, loadWireFixture(join(SHARED, 'o3/o3-001-otlp-logs.json')));
    expect(response.status).toBe(200);
    const events = server.sink.events;
    expect(titles(events)).toEqual(['TaxServiceError: tax service unavailable']);
    expect(functions(events[0]!.event).slice(-2)).toEqual(['settleInvoice', 'Object.calculateTax']);
    expect(events[0]!.event.breadcrumbs?.values.map((crumb) => crumb.message)).toEqual(['settling invoice for order 1001']);
  });
});
