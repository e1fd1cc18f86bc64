import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventList, IssueDetail } from '../../../src/shared/api';
import { buildEnvelope, errorEvent, startHarness, waitFor, type Harness } from '../../support/core-harness';
import { storeFacts } from './store-facts';

let harness: Harness;
const busyIds: string[] = [];

beforeAll(async () => {
  harness = await startHarness();
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

async function storedEventIds(issueId: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page = (await harness.api<EventList>(`/api/issues/${issueId}/events?limit=100${query}`)).body;
    ids.push(...page.events.map((event) => event.eventId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

async function send(eventId: string, fn: string, user: string): Promise<void> {
  const body = buildEnvelope({ event_id: eventId }, [
    { header: { type: 'event' }, payload: errorEvent({ eventId, fn, user: { id: user } }) },
    { header: { type: 'attachment', filename: 'log.txt', content_type: 'text/plain' }, payload: `log of ${eventId}` },
  ]);
  const response = await fetch(`${harness.core.url}/api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey}`, { method: 'POST', body });
  expect(response.status).toBe(200);
}

describe('retention through a running core', () => {
  it('samples a busy issue once maxEventsPerIssue is lowered, keeping counts, users and first/last seen exact', async () => {
    for (let n = 0; n < 260; n++) busyIds.push(crypto.randomUUID().replaceAll('-', ''));
    // Sequential lanes keep the arrival order known: the first 100 sent are the first 100 stored.
    for (const [n, eventId] of busyIds.entries()) await send(eventId, 'busyHandler', `user-${n % 13}`);
    await send(crypto.randomUUID().replaceAll('-', ''), 'quietHandler', 'someone');
    const listed = (await harness.api<{ issues: IssueDetail[] }>('/api/issues')).body;
    const busy = listed.issues.find((issue) => issue.culprit.includes('busyHandler'));
    if (!busy) throw new Error('busy issue missing');
    const before = (await harness.api<IssueDetail>(`/api/issues/${busy.id}`)).body;
    expect(before).toMatchObject({ count: 260, userCount: 13 });
    expect(await storedEventIds(busy.id)).toHaveLength(260);

    const patched = await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ retention: { maxEventsPerIssue: 120 } }) });
    expect(patched.status).toBe(200);

    const kept = await waitFor(async () => {
      const ids = await storedEventIds(busy.id);
      return ids.length === 120 ? ids : undefined;
    });
    const after = (await harness.api<IssueDetail>(`/api/issues/${busy.id}`)).body;
    expect(after).toMatchObject({ count: 260, userCount: 13, firstSeen: before.firstSeen, lastSeen: before.lastSeen });
    expect(after.tags.find((tag) => tag.key === 'level')?.values).toEqual([{ value: 'error', count: 260 }]);
    const keptSet = new Set(kept);
    for (const eventId of busyIds.slice(0, 100)) expect(keptSet.has(eventId), `head event ${eventId}`).toBe(true);
    for (const eventId of busyIds.slice(-10)) expect(keptSet.has(eventId), `newest event ${eventId}`).toBe(true);
    expect((await harness.api(`/api/events/${busyIds[150]}`)).status).toBe(keptSet.has(busyIds[150] ?? '') ? 200 : 404);
    const oldest = (await harness.api<{ eventId: string }>(`/api/issues/${busy.id}/events/oldest`)).body;
    const latest = (await harness.api<{ eventId: string }>(`/api/issues/${busy.id}/events/latest`)).body;
    expect([oldest.eventId, latest.eventId]).toEqual([busyIds[0], busyIds[259]]);

    const facts = storeFacts(harness.dataDir);
    expect(facts).toMatchObject({ events: 121, issues: 2, countedEvents: 261, attachments: 121, undecodablePayloads: 0, orphanEvents: 0 });
  }, 60_000);

  it('enforces maxEventsTotal and maxAgeDays set over the API, evicting the oldest payloads only', async () => {
    const patched = await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ retention: { maxEventsTotal: 30 } }) });
    expect(patched.status).toBe(200);
    await waitFor(() => storeFacts(harness.dataDir).events === 30 || undefined);
    const facts = storeFacts(harness.dataDir);
    expect(facts).toMatchObject({ events: 30, issues: 2, countedEvents: 261, attachments: 30, orphanEvents: 0 });
    // The newest survive: the quiet issue's single event was the last one sent.
    const issues = (await harness.api<{ issues: IssueDetail[] }>('/api/issues')).body.issues;
    const quiet = issues.find((issue) => issue.culprit.includes('quietHandler'));
    expect((await harness.api(`/api/issues/${quiet?.id}/events/latest`)).status).toBe(200);
    expect((await harness.api(`/api/events/${busyIds[0]}`)).status).toBe(404);

    const refused = await harness.api<{ detail: string }>('/api/settings', { method: 'PATCH', body: JSON.stringify({ retention: { maxAgeDays: 0 } }) });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/maxAgeDays/);
    expect(storeFacts(harness.dataDir).events).toBe(30);
  }, 30_000);

  it('answers an SDK re-sending events whose payloads were evicted as it answers duplicates: acknowledged, not counted again', async () => {
    const issues = (await harness.api<{ issues: IssueDetail[] }>('/api/issues')).body.issues;
    const busy = issues.find((issue) => issue.culprit.includes('busyHandler'));
    if (!busy) throw new Error('busy issue missing');
    const evicted = busyIds.slice(0, 20);
    for (const eventId of evicted) expect((await harness.api(`/api/events/${eventId}`)).status).toBe(404);

    // An SDK retrying a send it never saw acknowledged: the same ids again, one envelope each.
    for (const [n, eventId] of evicted.entries()) await send(eventId, 'busyHandler', `user-${n % 13}`);

    const after = (await harness.api<IssueDetail>(`/api/issues/${busy.id}`)).body;
    expect(after).toMatchObject({ count: 260, userCount: 13 });
    expect(after.tags.find((tag) => tag.key === 'level')?.values).toEqual([{ value: 'error', count: 260 }]);
    for (const eventId of evicted) expect((await harness.api(`/api/events/${eventId}`)).status).toBe(404);
    expect(storeFacts(harness.dataDir)).toMatchObject({ events: 30, issues: 2, countedEvents: 261, attachments: 30 });
  }, 30_000);
});
