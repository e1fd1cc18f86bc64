import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../src/shared/api';
import { buildEnvelope, errorEvent, randomHex, startHarness, type Harness } from '../../support/core-harness';
import { countsMatchStoredEvents, storeFacts } from './store-facts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

function envelopeTo(project: Project, events: number, origin?: string): Promise<Response> {
  const items = Array.from({ length: events }, () => ({ header: { type: 'event' }, payload: errorEvent({ eventId: randomHex(), fn: 'storm' }) }));
  return fetch(`${harness.core.url}/api/${project.id}/envelope/`, {
    method: 'POST',
    headers: { 'x-sentry-auth': `Sentry sentry_key=${project.publicKey}, sentry_version=7`, ...(origin && { origin }) },
    body: buildEnvelope({}, items),
  });
}

async function createProject(name: string): Promise<Project> {
  return (await harness.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name }) })).body;
}

async function storedEventsOf(project: Project): Promise<number> {
  const issues = (await harness.api<{ issues: { count: number }[] }>(`/api/issues?project=${project.id}`)).body.issues;
  return issues.reduce((sum, issue) => sum + issue.count, 0);
}

/** The limiter counts in fixed minute windows: start well inside one so the test does not straddle two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

describe('per-project rate limit', () => {
  it('answers 429 with Retry-After and X-Sentry-Rate-Limits past the limit, and counts only what it stored', async () => {
    const other = await createProject('other');
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 5 }) })).status).toBe(200);
    await awayFromMinuteBoundary();

    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) statuses.push((await envelopeTo(harness.project, 1)).status);
    const limited = await envelopeTo(harness.project, 1, 'http://localhost:3000');
    statuses.push(limited.status, (await envelopeTo(harness.project, 2)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);

    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-sentry-rate-limits')).toBe(`${retryAfter}::project:rate_limited`);
    // Browser SDKs can only honour the headers CORS lets them read.
    expect(limited.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(limited.headers.get('access-control-expose-headers')).toMatch(/x-sentry-rate-limits/);
    expect(limited.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    expect(await limited.json()).toEqual({ detail: `project ${harness.project.id} is rate limited; retry after ${retryAfter} s` });

    // Another project has its own budget; items that are not events are not limited.
    expect((await envelopeTo(other, 1)).status).toBe(200);
    const session = await fetch(`${harness.core.url}/api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey}`, {
      method: 'POST',
      body: buildEnvelope({}, [{ header: { type: 'session' }, payload: { sid: randomHex(), status: 'ok', init: true } }]),
    });
    expect(session.status).toBe(200);

    const facts = storeFacts(harness.dataDir);
    expect(facts).toMatchObject({ events: 6, countedEvents: 6, issues: 2, undecodablePayloads: 0 });
    expect(countsMatchStoredEvents(harness.dataDir)).toBe(true);

    // Back to the default: no limit.
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 0 }) })).status).toBe(200);
    expect((await envelopeTo(harness.project, 3)).status).toBe(200);
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: 9, countedEvents: 9 });
  }, 30_000);

  it('is honoured by a real @sentry/node client: after the 429 it stops sending for the Retry-After period', async () => {
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 2 }) })).status).toBe(200);
    await awayFromMinuteBoundary();
    const project = await createProject('sdk');
    const received: number[] = [];
    const Sentry = await import('@sentry/node');
    const client = new Sentry.NodeClient({
      dsn: project.dsn,
      integrations: [],
      stackParser: Sentry.defaultStackParser,
      transport: (options) => {
        const base = Sentry.makeNodeTransport(options);
        return {
          send: async (envelope) => {
            const result = await base.send(envelope);
            received.push(result.statusCode ?? 0);
            return result;
          },
          flush: (timeout) => base.flush(timeout),
        };
      },
      sendClientReports: false,
    });
    const scope = new Sentry.Scope();
    scope.setClient(client);
    for (let n = 0; n < 6; n++) {
      scope.captureException(new Error(`sdk storm ${n}`));
      await client.flush(2000);
    }
    await client.close(2000);
    // Two accepted, one refused; the SDK's transport then dropped the other three without a
    // request (it answers those sends itself, with no status code).
    expect(received).toEqual([200, 200, 429, 0, 0, 0]);
    expect(await storedEventsOf(project)).toBe(2);
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 0 }) })).status).toBe(200);
  }, 30_000);
  it('a refused envelope uses none of the budget, whatever the refusal', async () => {
    const project = await createProject('budget');
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 4 }) })).status).toBe(200);
    await awayFromMinuteBoundary();
    const send = async (path: string, body: string, headers: Record<string, string> = {}): Promise<number> =>
      (await fetch(`${harness.core.url}${path}`, { method: 'POST', headers, body })).status;
    const withKey = `?sentry_key=${project.publicKey}`;
    const oneEvent = buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ fn: 'refused' }) }]);

    const refusals: number[] = [];
    refusals.push(await send(`/api/${project.id}/envelope/`, oneEvent));
    refusals.push(await send(`/api/${project.id}/envelope/?sentry_key=${'0'.repeat(32)}`, oneEvent));
    await harness.api(`/api/projects/${project.id}`, { method: 'PATCH', body: JSON.stringify({ keyEnabled: false }) });
    refusals.push(await send(`/api/${project.id}/envelope/${withKey}`, oneEvent));
    await harness.api(`/api/projects/${project.id}`, { method: 'PATCH', body: JSON.stringify({ keyEnabled: true }) });
    refusals.push(await send(`/api/${project.id}/envelope/${withKey}`, '{"event_id": nope\n'));
    refusals.push(await send(`/api/${project.id}/store/${withKey}`, '{"unterminated": ', { 'content-type': 'application/json' }));
    const oversized = JSON.stringify({ message: 'x'.repeat(1024 * 1024) });
    refusals.push(await send(`/api/${project.id}/store/${withKey}`, oversized, { 'content-type': 'application/json' }));
    // Accepted, but its only event is dropped as not JSON: nothing to count.
    refusals.push(await send(`/api/${project.id}/envelope/${withKey}`, buildEnvelope({}, [{ header: { type: 'event' }, payload: 'not json' }])));
    expect(refusals).toEqual([401, 403, 403, 400, 400, 413, 200]);
    expect(await storedEventsOf(project)).toBe(0);

    // All 4 of the budget is left: 3 now, then an envelope of 2 that would pass the limit is
    // refused whole (twice) without counting, so the 4th single event still fits.
    const statuses: number[] = [];
    for (let n = 0; n < 3; n++) statuses.push((await envelopeTo(project, 1)).status);
    statuses.push((await envelopeTo(project, 2)).status, (await envelopeTo(project, 2)).status);
    statuses.push((await envelopeTo(project, 1)).status, (await envelopeTo(project, 1)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429, 200, 429]);
    expect(await storedEventsOf(project)).toBe(4);
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 0 }) })).status).toBe(200);
  }, 30_000);
});
