/**
 * Unmerge as a Sentry user expects it: every fingerprint lists the events grouped under it, a
 * selection that would leave either side without events is refused with its reason, and a valid
 * split keeps counts, seen times, releases, users, tags and hourly counts exact on both issues.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventList, IssueFingerprintList, IssueList } from '../../src/shared/api';
import type { Issue, IssueDetail } from '../../src/shared/issue';
import { errorEvent, startHarness, type Harness } from '../support/core-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.stop();
});

/** An error thrown in `fn` below a Node-internal frame: its in-app and all-frames hashes differ. */
function withSystemFrame(options: Parameters<typeof errorEvent>[0]): Record<string, unknown> {
  const event = errorEvent(options) as { exception: { values: { stacktrace: { frames: Record<string, unknown>[] } }[] } };
  event.exception.values[0]?.stacktrace.frames.unshift({
    filename: 'node:internal/process/task_queues', module: 'task_queues', function: 'processTicksAndRejections', lineno: 95, colno: 5, in_app: false,
  });
  return event;
}

async function send(event: Record<string, unknown>): Promise<void> {
  expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
}

async function issues(): Promise<Issue[]> {
  return (await harness.api<IssueList>('/api/issues?status=all&sort=firstSeen')).body.issues.reverse();
}

async function fingerprints(issueId: number): Promise<IssueFingerprintList['fingerprints']> {
  const response = await harness.api<IssueFingerprintList>(`/api/issues/${issueId}/hashes`);
  expect(response.status).toBe(200);
  expect(response.body.issueId).toBe(issueId);
  return response.body.fingerprints;
}

function unmerge(issueId: number, hashes: string[]) {
  return harness.api<IssueDetail & { detail?: string }>(`/api/issues/${issueId}/unmerge`, { method: 'POST', body: JSON.stringify({ hashes }) });
}

/** Rows of the aggregate tables, read straight from the database the core writes. */
function stored(issueId: number): { users: string[]; hours: [number, number][] } {
  const db = new Database(join(harness.dataDir, 'stacktray.db'), { readonly: true, fileMustExist: true });
  try {
    return {
      users: db.prepare<[number], string>('SELECT user_key FROM issue_users WHERE issue_id = ? ORDER BY user_key').pluck().all(issueId),
      hours: db
        .prepare<[number], { hour: number; count: number }>('SELECT hour, count FROM issue_hourly WHERE issue_id = ? ORDER BY hour')
        .all(issueId)
        .map((row) => [row.hour, row.count]),
    };
  } finally {
    db.close();
  }
}

const tagValues = (detail: IssueDetail, key: string) => detail.tags.find((tag) => tag.key === key)?.values ?? [];

describe('GET /api/issues/:id/hashes', () => {
  it('counts the events grouped under each fingerprint and says which hash the empty one came alongside', async () => {
    await send(withSystemFrame({ fn: 'alpha', timestamp: 1_700_000_000 }));
    await send(withSystemFrame({ fn: 'alpha', value: 'second', timestamp: 1_700_000_100, eventId: 'a'.repeat(32) }));
    const [issue] = await issues();
    if (!issue) throw new Error('expected an issue');

    const listed = await fingerprints(issue.id);
    expect(listed).toHaveLength(2);
    const [app, system] = listed as [IssueFingerprintList['fingerprints'][number], IssueFingerprintList['fingerprints'][number]];
    expect(app).toMatchObject({
      config: 'stacktray:2026-11',
      eventCount: 2,
      latestEvent: { eventId: 'a'.repeat(32), title: 'TypeError: second', timestamp: '2023-11-14T22:15:00.000Z' },
      variant: { key: 'app' },
      alongside: [],
    });
    expect(system).toMatchObject({ eventCount: 0, latestEvent: null, variant: { key: 'system' }, alongside: [app.hash] });
    const detail = (await harness.api<IssueDetail>(`/api/issues/${issue.id}`)).body;
    expect(detail.hashes.map((h) => h.hash).sort()).toEqual([app.hash, system.hash].sort());
  });

  it('answers 404 with a reason for an issue that does not exist', async () => {
    const missing = await harness.api<{ detail: string }>('/api/issues/999/hashes');
    expect(missing).toMatchObject({ status: 404, body: { detail: 'issue 999 does not exist' } });
  });
});

describe('unmerge refusals', () => {
  it('refuses fingerprints without events, every fingerprint, and fingerprints of another issue, each with its reason', async () => {
    await send(withSystemFrame({ fn: 'alpha', timestamp: 1_700_000_000 }));
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', timestamp: 1_700_000_010 }));
    const [alpha, beta] = await issues();
    if (!alpha || !beta) throw new Error('expected two issues');
    const [app, system] = await fingerprints(alpha.id);
    const [betaApp] = await fingerprints(beta.id);
    if (!app || !system || !betaApp) throw new Error('expected fingerprints');

    // A never-merged issue: its all-frames hash holds no events, its in-app hash holds them all.
    expect(await unmerge(alpha.id, [system.hash])).toMatchObject({ status: 400, body: { detail: 'those fingerprints hold no events of this issue' } });
    expect(await unmerge(alpha.id, [app.hash])).toMatchObject({ status: 400, body: { detail: 'unmerging every fingerprint would leave this issue empty' } });
    expect(await unmerge(alpha.id, [app.hash, system.hash])).toMatchObject({
      status: 400,
      body: { detail: 'unmerging every fingerprint would leave this issue empty' },
    });
    expect(await unmerge(alpha.id, [betaApp.hash])).toMatchObject({
      status: 400,
      body: { detail: `fingerprint ${betaApp.hash} does not belong to issue ${alpha.id}` },
    });
    expect(await unmerge(alpha.id, [])).toMatchObject({ status: 400, body: { detail: 'hashes needs at least 1 item' } });
    expect(await unmerge(999, [app.hash])).toMatchObject({ status: 404, body: { detail: 'issue 999 does not exist' } });

    // Nothing changed: no empty "Unmerged issue" appeared.
    expect((await issues()).map((i) => [i.id, i.count])).toEqual([[alpha.id, 1], [beta.id, 1]]);
  });
});

describe('unmerge of a really merged issue', () => {
  it('moves exactly the events of the chosen fingerprint, with counts, users, releases, tags and hours right on both sides', async () => {
    await send(withSystemFrame({ fn: 'alpha', release: '1.0', user: { id: 'a' }, tags: { region: 'eu' }, timestamp: 1_700_000_000 }));
    await send(withSystemFrame({ fn: 'alpha', release: '1.0', user: { id: 'shared' }, tags: { region: 'us' }, timestamp: 1_700_000_010 }));
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', release: '1.1', user: { id: 'shared' }, tags: { region: 'eu' }, timestamp: 1_700_000_020 }));
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', release: '1.2', user: { id: 'c' }, tags: { region: 'eu' }, timestamp: 1_700_000_030 }));
    const [alpha, beta] = await issues();
    if (!alpha || !beta) throw new Error('expected two issues');
    const alphaHours = stored(alpha.id).hours;
    const betaHours = stored(beta.id).hours;

    const merged = await harness.api<IssueDetail>('/api/issues/merge', { method: 'POST', body: JSON.stringify({ ids: [alpha.id, beta.id] }) });
    expect(merged.body).toMatchObject({ id: alpha.id, count: 4, userCount: 3 });
    const listed = await fingerprints(alpha.id);
    expect(listed.map((f) => [f.eventCount, f.variant?.key, f.latestEvent?.title ?? null])).toEqual([
      [2, 'app', 'RangeError: Cannot read properties of undefined'],
      [2, 'app', 'TypeError: Cannot read properties of undefined'],
      [0, 'system', null],
      [0, 'system', null],
    ]);
    const betaHash = listed.find((f) => f.latestEvent?.title.startsWith('RangeError'))?.hash as string;
    const betaSystem = listed.find((f) => f.alongside.includes(betaHash))?.hash as string;
    expect(betaSystem).toMatch(/^[0-9a-f]{32}$/);

    const split = await unmerge(alpha.id, [betaHash]);
    expect(split.status).toBe(200);
    const created = split.body;
    expect(created).toMatchObject({
      count: 2,
      userCount: 2,
      title: 'RangeError: Cannot read properties of undefined',
      firstSeen: '2023-11-14T22:13:40.000Z',
      lastSeen: '2023-11-14T22:13:50.000Z',
      firstRelease: '1.1',
      lastRelease: '1.2',
      status: 'unresolved',
    });
    expect(created.hashes.map((h) => h.hash)).toEqual([betaHash]);
    expect(tagValues(created, 'region')).toEqual([{ value: 'eu', count: 2 }]);
    expect(tagValues(created, 'release')).toEqual([{ value: '1.1', count: 1 }, { value: '1.2', count: 1 }]);
    expect(stored(created.id)).toEqual({ users: ['id:c', 'id:shared'], hours: betaHours });

    const remaining = (await harness.api<IssueDetail>(`/api/issues/${alpha.id}`)).body;
    expect(remaining).toMatchObject({
      count: 2,
      userCount: 2,
      title: 'TypeError: Cannot read properties of undefined',
      firstSeen: '2023-11-14T22:13:20.000Z',
      lastSeen: '2023-11-14T22:13:30.000Z',
      firstRelease: '1.0',
      lastRelease: '1.0',
    });
    // The all-frames hash of the moved events matched alongside; it stays, holding no events.
    expect(remaining.hashes.map((h) => h.hash).sort()).toEqual(listed.filter((f) => f.hash !== betaHash).map((f) => f.hash).sort());
    expect(remaining.releases).toEqual(['1.0']);
    expect(tagValues(remaining, 'region')).toEqual([{ value: 'eu', count: 1 }, { value: 'us', count: 1 }]);
    // User "c" was only on the moved events; "shared" is on both sides.
    expect(stored(alpha.id)).toEqual({ users: ['id:a', 'id:shared'], hours: alphaHours });

    const events = async (id: number) =>
      (await harness.api<EventList>(`/api/issues/${id}/events`)).body.events.map((e) => [e.title.split(':')[0], e.hash]).sort();
    expect(await events(created.id)).toEqual([['RangeError', betaHash], ['RangeError', betaHash]]);
    expect((await events(alpha.id)).map(([title]) => title)).toEqual(['TypeError', 'TypeError']);
    expect((await fingerprints(created.id)).map((f) => [f.hash, f.eventCount])).toEqual([[betaHash, 2]]);

    // New events follow their in-app hash, which is looked up before the all-frames one.
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', release: '1.2' }));
    expect((await issues()).map((i) => [i.id, i.count])).toEqual([[alpha.id, 2], [created.id, 3]]);
  });

  it('gives each side the search text of its own events: a word only the original had finds only the original', async () => {
    await send(withSystemFrame({ fn: 'alpha', value: 'pineapple outage', timestamp: 1_700_000_000 }));
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', value: 'walrus overflow', timestamp: 1_700_000_020 }));
    const [alpha, beta] = await issues();
    if (!alpha || !beta) throw new Error('expected two issues');
    await harness.api('/api/issues/merge', { method: 'POST', body: JSON.stringify({ ids: [alpha.id, beta.id] }) });
    const betaHash = (await fingerprints(alpha.id)).find((f) => f.latestEvent?.title.startsWith('RangeError'))?.hash as string;

    const split = await unmerge(alpha.id, [betaHash]);
    expect(split.status).toBe(200);

    const found = async (words: string) =>
      (await harness.api<IssueList>(`/api/issues?status=all&query=${encodeURIComponent(words)}`)).body.issues.map((issue) => issue.id);
    expect(await found('pineapple')).toEqual([alpha.id]);
    expect(await found('walrus')).toEqual([split.body.id]);
    expect(await found('RangeError')).toEqual([split.body.id]);
  });

  it("splitting off the surviving issue's own first events moves its first release and first seen to what remains", async () => {
    await send(withSystemFrame({ fn: 'alpha', release: '1.0', user: { id: 'a' }, timestamp: 1_700_000_000 }));
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', release: '1.1', user: { id: 'b' }, timestamp: 1_700_000_020 }));
    await send(withSystemFrame({ type: 'RangeError', fn: 'beta', release: '1.2', user: { id: 'b' }, timestamp: 1_700_000_030 }));
    const [alpha, beta] = await issues();
    if (!alpha || !beta) throw new Error('expected two issues');
    await harness.api('/api/issues/merge', { method: 'POST', body: JSON.stringify({ ids: [alpha.id, beta.id] }) });
    const alphaHash = (await fingerprints(alpha.id)).find((f) => f.latestEvent?.title.startsWith('TypeError'))?.hash as string;

    const split = await unmerge(alpha.id, [alphaHash]);
    expect(split.body).toMatchObject({ count: 1, userCount: 1, firstRelease: '1.0', lastRelease: '1.0', title: 'TypeError: Cannot read properties of undefined' });
    const remaining = (await harness.api<IssueDetail>(`/api/issues/${alpha.id}`)).body;
    expect(remaining).toMatchObject({
      count: 2,
      userCount: 1,
      firstSeen: '2023-11-14T22:13:40.000Z',
      lastSeen: '2023-11-14T22:13:50.000Z',
      firstRelease: '1.1',
      lastRelease: '1.2',
      title: 'RangeError: Cannot read properties of undefined',
    });
    expect(remaining.releases.sort()).toEqual(['1.1', '1.2']);
    expect(stored(alpha.id).users).toEqual(['id:b']);
  });
});
