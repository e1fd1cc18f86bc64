import { describe, expect, it, vi } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamMessage } from '../../../src/shared/api';
import type { Issue } from '../../../src/shared/issue';
import { LiveUpdates } from '../../../src/main/core/live-updates';
import type { BatchOutcome, WrittenEvent } from '../../../src/main/store/ingest-writer';

function issue(id: number, count: number): Issue {
  return {
    id, projectId: 1, title: `Error ${id}`, culprit: 'app.js', level: 'error', status: 'unresolved',
    resolvedInNextRelease: false, count, userCount: 0, firstSeen: '2026-11-26T00:00:00.000Z',
    lastSeen: '2026-11-26T00:00:00.000Z', firstRelease: null, lastRelease: null, platform: 'node',
    metadata: {}, isNew: true, isRegression: false,
  };
}

function written(issueId: number, eventId: string): WrittenEvent {
  return {
    eventId, issueId, projectId: 1, timestamp: '2026-11-26T00:00:00.000Z', received: '2026-11-26T00:00:00.000Z',
    release: null, environment: null, title: `Error ${issueId}`, level: 'error', hash: 'h',
  };
}

function outcome(parts: Partial<BatchOutcome>): BatchOutcome {
  return { stored: [], duplicates: 0, createdIssueIds: [], updatedIssueIds: [], alerts: [], ...parts };
}

function setup(existing: Map<number, Issue>, maxIssuesPerWindow?: number) {
  const sent: StreamMessage[] = [];
  const queried: number[][] = [];
  const live = new LiveUpdates({
    issues: (ids) => {
      queried.push(ids);
      return ids.flatMap((id) => existing.get(id) ?? []);
    },
    publish: (message) => sent.push(message),
    windowMs: 20,
    ...(maxIssuesPerWindow !== undefined && { maxIssuesPerWindow }),
  });
  return { live, sent, queried };
}

describe('live updates from ingest', () => {
  it('sends one issue.updated and one event.created per issue per window, with the number of new events', async () => {
    const { live, sent, queried } = setup(new Map([[7, issue(7, 103)]]));
    live.add(outcome({ updatedIssueIds: [7], stored: [written(7, 'a')] }));
    live.add(outcome({ updatedIssueIds: [7], stored: [written(7, 'b'), written(7, 'c')] }));
    expect(sent).toEqual([]);
    await sleep(60);
    expect(queried).toEqual([[7]]);
    expect(sent).toEqual([
      { type: 'issue.updated', issue: issue(7, 103) },
      { type: 'event.created', event: written(7, 'c'), newEvents: 3 },
    ]);
  });

  it('sends a new issue at once, before anything else is published', () => {
    const { live, sent } = setup(new Map([[1, issue(1, 1)], [2, issue(2, 5)]]));
    live.add(outcome({ updatedIssueIds: [2], stored: [written(2, 'x')] }));
    live.add(outcome({ createdIssueIds: [1], stored: [written(1, 'y')], alerts: [{ kind: 'new', issueId: 1, projectId: 1 }] }));
    expect(sent.map((message) => message.type)).toEqual(['issue.updated', 'event.created', 'issue.created', 'event.created']);
    expect(sent[2]).toEqual({ type: 'issue.created', issue: issue(1, 1) });
  });

  it('sends a regression at once', () => {
    const { live, sent } = setup(new Map([[3, issue(3, 9)]]));
    live.add(outcome({ updatedIssueIds: [3], stored: [written(3, 'r')], alerts: [{ kind: 'regression', issueId: 3, projectId: 1 }] }));
    expect(sent.map((message) => message.type)).toEqual(['issue.updated', 'event.created']);
  });

  it('skips issues deleted or merged away before the window closed, and sends nothing twice', () => {
    const { live, sent } = setup(new Map([[4, issue(4, 2)]]));
    live.add(outcome({ updatedIssueIds: [4, 5], stored: [written(4, 'p'), written(5, 'q')] }));
    live.flush();
    live.flush();
    expect(sent).toEqual([
      { type: 'issue.updated', issue: issue(4, 2) },
      { type: 'event.created', event: written(4, 'p'), newEvents: 1 },
    ]);
  });

  it('bounds the issues one window sends: the rest follow in later windows, longest waiting first, counting their events', async () => {
    const existing = new Map([1, 2, 3, 4, 5].map((id) => [id, issue(id, id * 10)]));
    const { live, sent, queried } = setup(existing, 2);
    live.add(outcome({ updatedIssueIds: [1, 2, 3, 4, 5], stored: [1, 2, 3, 4, 5].map((id) => written(id, `e${id}`)) }));
    // The next window is at least 20 ms after the first, so this sleep ends between the two.
    await sleep(35);
    expect(queried).toEqual([[1, 2]]);
    live.add(outcome({ updatedIssueIds: [1, 3], stored: [written(1, 'f1'), written(3, 'f3'), written(3, 'g3')] }));
    await vi.waitFor(() => expect(queried).toHaveLength(3));
    expect(queried).toEqual([[1, 2], [3, 4], [5, 1]]);
    const events = sent.flatMap((message) => (message.type === 'event.created' ? [[message.event.eventId, message.newEvents]] : []));
    expect(events).toEqual([['e1', 1], ['e2', 1], ['g3', 3], ['e4', 1], ['e5', 1], ['f1', 1]]);
  });

  it('sends created and regressed issues at once even past the bound, and everything on flush', () => {
    const existing = new Map([1, 2, 3, 4].map((id) => [id, issue(id, 1)]));
    const { live, sent, queried } = setup(existing, 1);
    live.add(outcome({ updatedIssueIds: [1, 2], stored: [written(1, 'a'), written(2, 'b')] }));
    live.add(outcome({
      createdIssueIds: [3], updatedIssueIds: [4], stored: [written(3, 'c'), written(4, 'd')],
      alerts: [{ kind: 'new', issueId: 3, projectId: 1 }, { kind: 'regression', issueId: 4, projectId: 1 }],
    }));
    expect(queried).toEqual([[1, 3, 4]]);
    expect(sent.filter((message) => message.type !== 'event.created').map((message) => message.type)).toEqual(['issue.updated', 'issue.created', 'issue.updated']);
    live.flush();
    expect(queried).toEqual([[1, 3, 4], [2]]);
  });
});
