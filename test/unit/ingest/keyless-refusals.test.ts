/**
 * Keyless ingest refused because it did not come from this machine is counted like any other
 * refusal, under its own reason (not "wrong key": there was no key), with the sender's address in
 * the detail. The Sentry and OTLP routes with the core's real RefusalTracker; the foreign address
 * comes from Fastify's inject, since the tests listen on loopback only.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusalTracker } from '../../../src/main/core/refusal-tracker';
import { DEFAULT_INGEST_LIMITS, type IngestDeps } from '../../../src/main/ingest/ingest-sink';
import { otlpIngestRoutes } from '../../../src/main/ingest/otlp/routes';
import { sentryIngestRoutes } from '../../../src/main/ingest/sentry/routes';
import { refusalAdvice } from '../../../src/shared/refusal';
import { envelopeBytes, FixedRateLimiter, MapProjectDirectory, PROJECT_1, RecordingIngestSink } from './sentry/ingest-test-server';

let app: FastifyInstance;
let tracker: RefusalTracker;
const logged: string[] = [];

beforeAll(async () => {
  tracker = new RefusalTracker({ log: (line) => logged.push(line), projectName: (id) => (id === PROJECT_1.id ? 'shop' : undefined) });
  const deps: IngestDeps = {
    sink: new RecordingIngestSink(),
    projects: new MapProjectDirectory([PROJECT_1]),
    rateLimiter: new FixedRateLimiter(),
    limits: DEFAULT_INGEST_LIMITS,
    refusals: tracker,
  };
  app = Fastify({ logger: false });
  await app.register(async (scope) => sentryIngestRoutes(scope, deps));
  await app.register(otlpIngestRoutes, deps);
  await app.ready();
});
afterAll(() => app.close());

describe('keyless refusals', () => {
  it('counts /stream from another machine under the default project, and keyless OTLP from a LAN address under none', async () => {
    const envelope = envelopeBytes({}, [[{ type: 'event' }, JSON.stringify({ event_id: 'a'.repeat(32), message: 'hi' })]]);
    for (let i = 0; i < 2; i++) {
      const stream = await app.inject({ method: 'POST', url: '/stream', remoteAddress: '192.0.2.10', payload: envelope, headers: { 'content-type': 'application/x-sentry-envelope' } });
      expect(stream.statusCode).toBe(403);
    }
    const otlp = await app.inject({ method: 'POST', url: '/v1/traces', remoteAddress: '192.168.1.20', payload: '{"resourceSpans":[]}', headers: { 'content-type': 'application/json' } });
    expect(otlp.statusCode).toBe(403);

    const listed = tracker.list().map((refusal) => [refusal.projectId, refusal.status, refusal.reason, refusal.count, refusal.detail.includes('this request came from 192.')]);
    expect(listed.sort((a, b) => String(a).localeCompare(String(b)))).toEqual([
      [PROJECT_1.id, 403, 'not-local', 2, true],
      [null, 403, 'not-local', 1, true],
    ].sort((a, b) => String(a).localeCompare(String(b))));
    expect(logged.filter((line) => line.includes('(403 not-local)'))).toHaveLength(2);
    expect(refusalAdvice('not-local').fix).toBe("send with the project's DSN");
  });
});
