import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Issue, IssueDetail } from '../../src/shared/issue';
import type { IssueList } from '../../src/shared/api';
import { errorEvent, startHarness, type Harness } from '../support/core-harness';

let harness: Harness;

beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.stop();
});

async function send(event: Record<string, unknown>): Promise<void> {
  const response = await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }]);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ id: event.event_id });
}

async function onlyIssue(): Promise<Issue> {
  const { body } = await harness.api<IssueList>('/api/issues?status=all');
  expect(body.issues).toHaveLength(1);
  return body.issues[0] as Issue;
}

async function setStatus(id: number, body: Record<string, unknown>): Promise<Issue> {
  const response = await harness.api<Issue>(`/api/issues/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.body;
}

describe('issue lifecycle through the API', () => {
  it('groups, counts users and releases, and alerts once for a new issue', async () => {
    await send(errorEvent({ release: 'app@1.0.0', user: { id: 'u-1' }, lineno: 10 }));
    await send(errorEvent({ release: 'app@1.0.1', user: { id: 'u-2' }, lineno: 11 }));
    await send(errorEvent({ release: 'app@1.0.1', user: { id: 'u-1' }, lineno: 12 }));
    const issue = await onlyIssue();
    expect(issue).toMatchObject({ count: 3, userCount: 2, status: 'unresolved', firstRelease: 'app@1.0.0', lastRelease: 'app@1.0.1', level: 'error' });
    expect(issue.title).toBe('TypeError: Cannot read properties of undefined');
    expect(harness.alerts.map((a) => [a.kind, a.issueId])).toEqual([['new', issue.id]]);
    const detail = await harness.api<IssueDetail>(`/api/issues/${issue.id}`);
    expect(detail.body.releases.sort()).toEqual(['app@1.0.0', 'app@1.0.1']);
    expect(detail.body.environments).toEqual(['development']);
  });

  it('a repeated event_id is acknowledged but stored once', async () => {
    const event = errorEvent({});
    await send(event);
    await send(event);
    expect((await onlyIssue()).count).toBe(1);
  });

  it('resolve → new event regresses and alerts again', async () => {
    await send(errorEvent({ release: '1.0.0' }));
    const issue = await onlyIssue();
    expect((await setStatus(issue.id, { status: 'resolved' })).status).toBe('resolved');
    await send(errorEvent({ release: '1.0.0' }));
    const after = await onlyIssue();
    expect(after).toMatchObject({ status: 'unresolved', isRegression: true, count: 2 });
    expect(harness.alerts.map((a) => a.kind)).toEqual(['new', 'regression']);
  });

  it('resolved in next release: the same release stays resolved, a newer one regresses', async () => {
    await send(errorEvent({ release: '1.0.0' }));
    const issue = await onlyIssue();
    const resolved = await setStatus(issue.id, { status: 'resolved', resolveIn: 'next-release' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedInNextRelease: true });
    await send(errorEvent({ release: '1.0.0' }));
    expect(await onlyIssue()).toMatchObject({ status: 'resolved', count: 2 });
    await send(errorEvent({ release: '1.1.0' }));
    expect(await onlyIssue()).toMatchObject({ status: 'unresolved', isRegression: true, count: 3, lastRelease: '1.1.0' });
    expect(harness.alerts.map((a) => a.kind)).toEqual(['new', 'regression']);
  });

  it('ignored issues count events but never alert', async () => {
    await send(errorEvent({}));
    const issue = await onlyIssue();
    await setStatus(issue.id, { status: 'ignored' });
    await send(errorEvent({}));
    await send(errorEvent({}));
    expect(await onlyIssue()).toMatchObject({ status: 'ignored', count: 3 });
    expect(harness.alerts.map((a) => a.kind)).toEqual(['new']);
  });

  it('lists by status, searches, sorts, pages and deletes', async () => {
    await send(errorEvent({ type: 'TypeError', fn: 'a', value: 'alpha broke' }));
    await send(errorEvent({ type: 'RangeError', fn: 'b', value: 'beta broke' }));
    await send(errorEvent({ type: 'RangeError', fn: 'b', value: 'beta broke' }));
    await send(errorEvent({ type: 'SyntaxError', fn: 'c', value: 'gamma broke', release: 'r9' }));
    const all = (await harness.api<IssueList>('/api/issues?sort=count')).body;
    expect(all.issues.map((i) => i.count)).toEqual([2, 1, 1]);
    const search = (await harness.api<IssueList>('/api/issues?query=beta')).body;
    expect(search.issues.map((i) => i.title)).toEqual(['RangeError: beta broke']);
    const byRelease = (await harness.api<IssueList>('/api/issues?query=release:r9')).body;
    expect(byRelease.issues.map((i) => i.title)).toEqual(['SyntaxError: gamma broke']);
    const page1 = (await harness.api<IssueList>('/api/issues?limit=2')).body;
    expect(page1.issues).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await harness.api<IssueList>(`/api/issues?limit=2&cursor=${page1.nextCursor}`)).body;
    expect(page2.issues).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const ids = [...page1.issues, ...page2.issues].map((i) => i.id);
    expect(new Set(ids).size).toBe(3);
    const bulk = await harness.api<{ issues: Issue[] }>('/api/issues/bulk', {
      method: 'POST',
      body: JSON.stringify({ ids: ids.slice(0, 2), status: 'resolved' }),
    });
    expect(bulk.body.issues.map((i) => i.status)).toEqual(['resolved', 'resolved']);
    expect((await harness.api<IssueList>('/api/issues?status=unresolved')).body.issues).toHaveLength(1);
    expect((await harness.api(`/api/issues/${ids[2]}`, { method: 'DELETE' })).status).toBe(204);
    expect((await harness.api(`/api/issues/${ids[2]}`)).status).toBe(404);
    expect((await harness.api<IssueList>('/api/issues?status=all')).body.issues).toHaveLength(2);
  });

  it('sorts by users affected, as Sentry\'s "Users" sort, and pages in that order', async () => {
    const users = { alpha: ['u-1'], beta: ['u-1', 'u-2', 'u-3'], gamma: ['u-1', 'u-2'] };
    for (const [fn, ids] of Object.entries(users)) {
      for (const id of ids) await send(errorEvent({ type: 'Error', fn, value: `${fn} broke`, user: { id } }));
    }
    // More events than users on alpha, so the order differs from the event count's.
    for (let n = 0; n < 3; n++) await send(errorEvent({ type: 'Error', fn: 'alpha', value: 'alpha broke', user: { id: 'u-1' } }));
    const byUsers = (await harness.api<IssueList>('/api/issues?sort=users')).body.issues;
    expect(byUsers.map((i) => [i.title, i.userCount, i.count])).toEqual([
      ['Error: beta broke', 3, 3],
      ['Error: gamma broke', 2, 2],
      ['Error: alpha broke', 1, 4],
    ]);
    const page1 = (await harness.api<IssueList>('/api/issues?sort=users&limit=2')).body;
    const page2 = (await harness.api<IssueList>(`/api/issues?sort=users&limit=2&cursor=${page1.nextCursor}`)).body;
    expect([...page1.issues, ...page2.issues].map((i) => i.title)).toEqual(byUsers.map((i) => i.title));
    expect(page2.nextCursor).toBeNull();
  });

  it('rejects a bad status with a one-line reason', async () => {
    await send(errorEvent({}));
    const issue = await onlyIssue();
    const response = await harness.api<{ detail: string }>(`/api/issues/${issue.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'done' }) });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/status/);
  });

  it('counts occurrences in the hour each event happened, as last seen does: a late event is no bar in the current hour', async () => {
    const now = Date.now() / 1000;
    await send(errorEvent({ timestamp: now - 8 * 3600 }));
    await send(errorEvent({ timestamp: now - 8 * 3600 + 60 }));
    await send(errorEvent({ timestamp: now }));
    const issue = await onlyIssue();
    expect(issue.count).toBe(3);
    // 24 hourly buckets, the current hour last. Within a minute of an hour's end the two old
    // events may straddle it: count the two buckets together.
    const histogram = issue.histogram24h ?? [];
    expect(histogram).toHaveLength(24);
    expect(histogram[23]).toBe(1);
    expect((histogram[15] ?? 0) + (histogram[14] ?? 0) + (histogram[16] ?? 0)).toBe(2);
    expect(histogram.reduce((sum, n) => sum + n, 0)).toBe(3);
  });
});
