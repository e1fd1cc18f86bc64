import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePayload } from '../../src/main/store/payload-codec';
import type { EventDetail, EventList, ExportDocument, ImportResult, IssueList } from '../../src/shared/api';
import type { Issue, IssueDetail } from '../../src/shared/issue';
import { errorEvent, randomHex, startHarness, type Harness } from '../support/core-harness';
import { levelsBelow } from '../support/nesting';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.stop();
});

async function send(event: Record<string, unknown>): Promise<void> {
  expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
}

async function issues(): Promise<Issue[]> {
  return (await harness.api<IssueList>('/api/issues?status=all&sort=count')).body.issues;
}

describe('merge and unmerge', () => {
  it('merges issues into the first seen one with exact counts, then splits them back by hash', async () => {
    await send(errorEvent({ type: 'TypeError', fn: 'alpha', release: '1.0', user: { id: 'a' }, timestamp: 1_700_000_000 }));
    await send(errorEvent({ type: 'TypeError', fn: 'alpha', release: '1.0', user: { id: 'b' }, timestamp: 1_700_000_010 }));
    await send(errorEvent({ type: 'RangeError', fn: 'beta', release: '1.1', user: { id: 'b' }, timestamp: 1_700_000_020 }));
    const [alpha, beta] = await issues();
    if (!alpha || !beta) throw new Error('expected two issues');

    const merged = await harness.api<IssueDetail>('/api/issues/merge', { method: 'POST', body: JSON.stringify({ ids: [beta.id, alpha.id] }) });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: alpha.id, count: 3, userCount: 2, firstRelease: '1.0', lastRelease: '1.1' });
    expect(merged.body.hashes).toHaveLength(alpha.id === beta.id ? 1 : 2);
    expect(merged.body.releases.sort()).toEqual(['1.0', '1.1']);
    expect((await issues()).map((i) => i.id)).toEqual([alpha.id]);
    expect((await harness.api(`/api/issues/${beta.id}`)).status).toBe(404);
    const events = (await harness.api<EventList>(`/api/issues/${alpha.id}/events`)).body.events;
    expect(events).toHaveLength(3);

    // A new event with beta's shape now lands in the merged issue.
    await send(errorEvent({ type: 'RangeError', fn: 'beta', release: '1.1' }));
    expect((await issues()).map((i) => [i.id, i.count])).toEqual([[alpha.id, 4]]);

    const betaHash = events.find((event) => event.title.startsWith('RangeError'))?.hash as string;
    const split = await harness.api<IssueDetail>(`/api/issues/${alpha.id}/unmerge`, { method: 'POST', body: JSON.stringify({ hashes: [betaHash] }) });
    expect(split.status).toBe(200);
    expect(split.body).toMatchObject({ count: 2, userCount: 1, title: 'RangeError: Cannot read properties of undefined' });
    expect(split.body.hashes.map((h) => h.hash)).toEqual([betaHash]);
    const after = await issues();
    expect(after.map((i) => [i.title.split(':')[0], i.count]).sort()).toEqual([['RangeError', 2], ['TypeError', 2]]);
    const remaining = (await harness.api<IssueDetail>(`/api/issues/${alpha.id}`)).body;
    expect(remaining.releases).toEqual(['1.0']);

    // And new RangeErrors follow the hash to the split-off issue.
    await send(errorEvent({ type: 'RangeError', fn: 'beta' }));
    expect((await harness.api<IssueDetail>(`/api/issues/${split.body.id}`)).body.count).toBe(3);
  });

  it('refuses to merge a single issue or unmerge every hash', async () => {
    await send(errorEvent({}));
    const [only] = await issues();
    const single = await harness.api<{ detail: string }>('/api/issues/merge', { method: 'POST', body: JSON.stringify({ ids: [only?.id, only?.id] }) });
    expect(single.status).toBe(400);
    expect(single.body.detail).toBe('merging needs at least two different issues');
    const detail = (await harness.api<IssueDetail>(`/api/issues/${only?.id}`)).body;
    const all = await harness.api<{ detail: string }>(`/api/issues/${only?.id}/unmerge`, {
      method: 'POST',
      body: JSON.stringify({ hashes: detail.hashes.map((h) => h.hash) }),
    });
    expect(all).toMatchObject({ status: 400, body: { detail: 'unmerging every fingerprint would leave this issue empty' } });
    expect((await issues()).map((i) => [i.id, i.count])).toEqual([[only?.id, 1]]);
  });
});

describe('export and import', () => {
  it('exports an issue with every event and imports it into another Stacktray', async () => {
    await send(errorEvent({ release: '2.0', user: { id: 'x' } }));
    await send(errorEvent({ release: '2.0', user: { id: 'y' } }));
    const [issue] = await issues();
    await harness.api(`/api/issues/${issue?.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }) });
    const exported = await harness.api<ExportDocument>(`/api/issues/${issue?.id}/export`);
    expect(exported.headers.get('content-disposition')).toContain(`stacktray-issue-${issue?.id}.json`);
    expect(exported.body.formatVersion).toBe(2);
    expect(exported.body.issues).toHaveLength(1);
    expect(exported.body.issues[0]).toMatchObject({ id: issue?.id, count: 2, status: 'resolved' });
    expect(exported.body.issues[0]?.events.map((event) => event.user?.id).sort()).toEqual(['x', 'y']);

    const all = await harness.api<ExportDocument>('/api/export?status=all');
    expect(all.body.issues.map((i) => i.id)).toEqual([issue?.id]);

    const teammate = await startHarness();
    try {
      const imported = await teammate.api<ImportResult>('/api/import', { method: 'POST', body: JSON.stringify(exported.body) });
      expect(imported.body).toEqual({ issues: 1, events: 2, projects: 0, skipped: { issues: 0, events: 0 }, unreadable: 0 });
      const again = await teammate.api<ImportResult>('/api/import', { method: 'POST', body: JSON.stringify(exported.body) });
      expect(again.body).toEqual({ issues: 0, events: 0, projects: 0, skipped: { issues: 1, events: 2 }, unreadable: 0 });
      const list = (await teammate.api<IssueList>('/api/issues?status=all')).body.issues;
      expect(list.map((i) => [i.title, i.count, i.status, i.userCount])).toEqual([
        ['TypeError: Cannot read properties of undefined', 2, 'resolved', 2],
      ]);
      const refused = await teammate.api<{ detail: string }>('/api/import', { method: 'POST', body: JSON.stringify({ formatVersion: 99, issues: [] }) });
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toBe('this export has formatVersion 99; this Stacktray reads versions 1 and 2');
    } finally {
      await teammate.stop();
    }
  });
});

/** An event (as JSON text) whose extra.deep nests `levels` objects: too deep to build as objects and stringify. */
function deepEventJson(eventId: string, levels: number): string {
  const deep = `${'{"level":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;
  return `{"event_id":"${eventId}","timestamp":1700000000,"platform":"node","message":"deep ${eventId}","extra":{"deep":${deep}}}`;
}

/** extra.deep's nesting in the normalized event and in the raw payload the API returns. */
function deepLevels(detail: EventDetail): { event: number; raw: number } {
  return { event: levelsBelow(detail.event.extra?.['deep']), raw: levelsBelow((detail.raw as { extra?: { deep?: unknown } }).extra?.deep) };
}

describe('events nested deeper than the payload depth (128 levels)', () => {
  // Expected depths: the normalizer keeps 10 levels of extra (9 below extra.deep); the raw payload
  // is cut at 128 levels, of which the root and extra are two, so 126 objects remain below.
  it('an imported event nested 50,000 levels deep is stored cut, and reads back', async () => {
    const eventId = randomHex();
    const body = `{"formatVersion":1,"issues":[{"status":"resolved","events":[${deepEventJson(eventId, 50_000)}]}]}`;
    const imported = await harness.api<ImportResult>('/api/import', { method: 'POST', body });
    expect(imported).toMatchObject({ status: 200, body: { issues: 1, events: 1 } });
    const read = await harness.api<EventDetail>(`/api/events/${eventId}`);
    expect(read.status).toBe(200);
    expect(read.body.event.message).toBe(`deep ${eventId}`);
    expect(deepLevels(read.body)).toEqual({ event: 9, raw: 126 });
    expect((await issues()).map((issue) => [issue.count, issue.status])).toEqual([[1, 'resolved']]);
  });

  it('an event an older version stored deeper reads back (cut in the answer), through every route that returns it', async () => {
    const eventId = randomHex();
    await send(errorEvent({ eventId }));
    // Rewrite its stored payload as a version without the depth cut stored it.
    const db = new Database(join(harness.dataDir, 'stacktray.db'), { fileMustExist: true });
    try {
      const changed = db.prepare('UPDATE events SET payload = ? WHERE event_id = ?').run(encodePayload(deepEventJson(eventId, 50_000)), eventId).changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
    const byId = await harness.api<EventDetail>(`/api/events/${eventId}`);
    expect(byId.status).toBe(200);
    expect(byId.body.event.message).toBe(`deep ${eventId}`);
    expect(deepLevels(byId.body)).toEqual({ event: 9, raw: 126 });
    for (const which of ['latest', 'oldest']) {
      const read = await harness.api<EventDetail>(`/api/issues/${byId.body.issueId}/events/${which}`);
      expect(read.status).toBe(200);
      expect(deepLevels(read.body)).toEqual({ event: 9, raw: 126 });
    }
    const exported = await harness.api<ExportDocument>(`/api/issues/${byId.body.issueId}/export`);
    expect(exported.status).toBe(200);
    expect(levelsBelow(exported.body.issues[0]?.events[0]?.extra?.['deep'])).toBe(9);
  });
});
