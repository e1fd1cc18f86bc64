/** Real SDK traffic captured into test/fixtures/sentry-wire (see capture/capture.mjs), replayed. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEnvelope } from '../../../../src/main/ingest/ingest-sink';
import type { SentryEvent } from '../../../../src/shared/event';
import { startIngestServer, type IngestTestServer } from './ingest-test-server';
import { loadRecordedRequests, projectsOf, replay, type RecordedRequest } from './wire-replay';

const FIXTURES = join(__dirname, '../../../fixtures/sentry-wire');

let server: IngestTestServer;
const accepted = new Map<string, { envelopes: IncomingEnvelope[]; statuses: number[]; ids: unknown[]; allowedOrigins: (string | null)[] }>();

async function replayScenario(name: string): Promise<void> {
  const requests: RecordedRequest[] = loadRecordedRequests(join(FIXTURES, name));
  const before = server.sink.envelopes.length;
  const statuses: number[] = [];
  const ids: unknown[] = [];
  const allowedOrigins: (string | null)[] = [];
  for (const request of requests) {
    const response = await replay(server.url, request);
    statuses.push(response.status);
    ids.push(response.json);
    allowedOrigins.push(response.headers.get('access-control-allow-origin'));
  }
  accepted.set(name, { envelopes: server.sink.envelopes.slice(before), statuses, ids, allowedOrigins });
}

beforeAll(async () => {
  const all = loadRecordedRequests(FIXTURES);
  server = await startIngestServer({ projects: projectsOf(all) });
  for (const name of ['node-errors', 'node-telemetry', 'python-store', 'browser-errors']) await replayScenario(name);
});
afterAll(() => server.close());

const events = (name: string): SentryEvent[] => accepted.get(name)!.envelopes.flatMap((envelope) => envelope.events.map((incoming) => incoming.event));
const otherItems = (name: string): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const envelope of accepted.get(name)!.envelopes) {
    for (const [type, count] of Object.entries(envelope.otherItems)) totals[type] = (totals[type] ?? 0) + count;
  }
  return totals;
};
const title = (event: SentryEvent): string => {
  const last = event.exception?.values.at(-1);
  return last?.type ? `${last.type}: ${last.value}` : (event.message ?? '');
};

describe('@sentry/node 11 errors', () => {
  it('accepts every request and answers with the event ids', () => {
    const run = accepted.get('node-errors')!;
    expect(run.statuses).toEqual([200, 200, 200, 200]);
    expect(run.ids).toEqual([{}, ...events('node-errors').map((event) => ({ id: event.event_id }))]);
  });

  it('stores three events with their chain, scope data and attachments', () => {
    const [chained, message, withAttachments] = events('node-errors');
    expect(events('node-errors').map(title)).toEqual([
      'TypeError: payment for order 5001 failed',
      'Inventory for SKU 12 is low',
      'RangeError: discount out of range',
    ]);
    expect(otherItems('node-errors')).toEqual({ session: 1 });
    expect(chained!.exception!.values.map((value) => [value.type, value.mechanism?.exception_id])).toEqual([
      ['Error', 1],
      ['TypeError', 0],
    ]);
    expect(chained!.platform).toBe('node');
    expect(chained!.release).toBe('shop@2.0.0');
    expect(chained!.environment).toBe('fixture');
    expect(chained!.user).toMatchObject({ id: 'u-7', email: 'dev@example.com' });
    expect(chained!.tags).toContainEqual(['region', 'eu-west']);
    expect(chained!.contexts!['cart']).toEqual({ items: 3, total: 42.5, type: 'cart' });
    expect(chained!.breadcrumbs!.values.map((crumb) => crumb.category)).toContain('navigation');
    const frames = chained!.exception!.values[1]!.stacktrace!.frames;
    expect(frames.at(-1)!.function).toBe('payForOrder');
    expect(message!.level).toBe('warning');
    const attachments = accepted.get('node-errors')!.envelopes[3]!.events[0]!.attachments;
    expect(attachments.map((a) => [a.filename, a.contentType, [...a.data]])).toEqual([
      ['order.json', 'application/json', [...Buffer.from('{"order":5002}\n')]],
      ['raw.bin', 'application/octet-stream', [0, 10, 255, 10, 13, 0]],
    ]);
    expect(withAttachments!.event_id).toBe(accepted.get('node-errors')!.envelopes[3]!.events[0]!.event.event_id);
  });
});

describe('@sentry/node 11 telemetry', () => {
  it('counts spans, logs, sessions and client reports, and keeps the one error', () => {
    expect(accepted.get('node-telemetry')!.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(events('node-telemetry').map(title)).toEqual(['Error: tax service unavailable']);
    expect(otherItems('node-telemetry')).toEqual({ span: 2, log: 3, session: 1, client_report: 1 });
    expect(events('node-telemetry')[0]!.contexts!['trace']).toMatchObject({ type: 'trace' });
  });
});

describe('sentry-python 1.9 store requests', () => {
  it('accepts gzip store posts and normalizes the python event shapes', () => {
    expect(accepted.get('python-store')!.statuses).toEqual([200, 200, 200]);
    const [exception, message, logged] = events('python-store');
    expect(events('python-store').map(title)).toEqual([
      'ZeroDivisionError: division by zero',
      'Invoice 9002 is overdue',
      'could not email invoice 9003 to ops@example.com',
    ]);
    expect(exception!.platform).toBe('python');
    expect(exception!.exception!.values[0]!.stacktrace!.frames.at(-1)!.function).toBe('settle_invoice');
    expect(exception!.user).toEqual({ id: 'u-9', ip_address: '127.0.0.1' });
    expect(exception!.breadcrumbs!.values.map((crumb) => [crumb.category, crumb.message])).toContainEqual(['billing', 'settling']);
    expect(message!.level).toBe('warning');
    expect(logged!.logger).toBe('billing');
    expect(logged!.logentry).toEqual({
      message: 'could not email invoice %s to %s',
      params: [9003, 'ops@example.com'],
      formatted: 'could not email invoice 9003 to ops@example.com',
    });
    expect(accepted.get('python-store')!.envelopes.every((envelope) => envelope.projectId === 4)).toBe(true);
  });
});

describe('@sentry/browser 11 in Chromium', () => {
  it('accepts text/plain envelopes from another origin and allows that origin', () => {
    const run = accepted.get('browser-errors')!;
    expect(run.statuses).toEqual([200, 200, 200, 200, 200, 200]);
    const origin = loadRecordedRequests(join(FIXTURES, 'browser-errors'))[0]!.headers['origin'];
    expect(origin).toMatch(/^http:\/\/localhost:\d+$/);
    expect(run.allowedOrigins).toEqual(Array(6).fill(origin));
    expect(otherItems('browser-errors')).toEqual({ session: 3 });
    expect(events('browser-errors').map(title)).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'items')",
      'Checkout page loaded slowly',
      'Error: unhandled click handler failure',
    ]);
    const [caught, , unhandled] = events('browser-errors');
    expect(caught!.platform).toBe('javascript');
    expect(caught!.request!.url).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(caught!.request!.query_string).toEqual([['dsn', expect.stringMatching(/^http:\/\/b{32}@127\.0\.0\.1:\d+\/2$/)]]);
    expect(caught!.request!.headers!.map(([name]) => name)).toContain('User-Agent');
    expect(caught!.tags).toContainEqual(['page', 'checkout']);
    expect(caught!.exception!.values[0]!.stacktrace!.frames.at(-1)!.function).toBe('renderCart');
    expect(unhandled!.exception!.values[0]!.mechanism).toMatchObject({ type: 'auto.browser.browserapierrors.setTimeout', handled: false });
    expect(accepted.get('browser-errors')!.envelopes.every((envelope) => envelope.projectId === 2)).toBe(true);
  });
});
