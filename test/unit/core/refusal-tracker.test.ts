import { describe, expect, it } from 'vitest';
import { RefusalTracker } from '../../../src/main/core/refusal-tracker';
import type { Refusal } from '../../../src/shared/refusal';

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);

function tracker(maxEntries?: number) {
  let now = T0;
  const lines: string[] = [];
  const changes: Refusal[] = [];
  const refusals = new RefusalTracker({
    log: (line) => lines.push(line),
    projectName: (id) => (id === 2 ? 'shop' : undefined),
    onChange: (refusal) => changes.push(refusal),
    now: () => now,
    ...(maxEntries !== undefined && { maxEntries }),
  });
  return { refusals, lines, changes, advance: (ms: number) => (now += ms), at: () => now };
}

const wrongKey = { projectId: 2, status: 403, reason: 'wrong-key', detail: 'the key from X-Sentry-Auth does not belong to project 2' } as const;

describe('RefusalTracker', () => {
  it('logs the first refusal of a reason at once, then at most one line a minute with the count', () => {
    const { refusals, lines, advance } = tracker();
    refusals.record(wrongKey);
    expect(lines).toEqual(['refused 1 event for project 2 (shop) (403 wrong-key): the key from X-Sentry-Auth does not belong to project 2']);
    for (let i = 0; i < 11; i++) {
      advance(1000);
      refusals.record(wrongKey);
    }
    refusals.tick();
    expect(lines).toHaveLength(1);
    advance(60_000);
    refusals.tick();
    expect(lines[1]).toBe('refused 11 more events for project 2 (shop) since the last line (403 wrong-key): the key from X-Sentry-Auth does not belong to project 2');
    advance(60_000);
    refusals.tick();
    expect(lines).toHaveLength(2);
  });

  it('lists counts over 24 hours and the last hour, per project and reason, the latest first', () => {
    const { refusals, advance, at } = tracker();
    refusals.record({ ...wrongKey, events: 3 });
    advance(2 * 3_600_000);
    refusals.record(wrongKey);
    const wrongKeyAt = at();
    advance(1000);
    refusals.record({ projectId: null, status: 404, reason: 'unknown-project', detail: 'project 9 does not exist' });
    expect(refusals.list()).toEqual([
      { projectId: null, status: 404, reason: 'unknown-project', count: 1, countLastHour: 1, firstAt: new Date(at()).toISOString(), lastAt: new Date(at()).toISOString(), detail: 'project 9 does not exist' },
      { projectId: 2, status: 403, reason: 'wrong-key', count: 4, countLastHour: 1, firstAt: new Date(T0).toISOString(), lastAt: new Date(wrongKeyAt).toISOString(), detail: wrongKey.detail },
    ]);
    advance(23 * 3_600_000);
    expect(refusals.list().map((r) => [r.reason, r.count, r.countLastHour])).toEqual([
      ['unknown-project', 1, 0],
      ['wrong-key', 1, 0],
    ]);
    advance(2 * 3_600_000);
    expect(refusals.list()).toEqual([]);
  });

  it('reports each changed entry once per tick', () => {
    const { refusals, changes } = tracker();
    refusals.record(wrongKey);
    refusals.record(wrongKey);
    refusals.tick();
    refusals.tick();
    expect(changes.map((c) => [c.projectId, c.count])).toEqual([[2, 2]]);
  });

  it('keeps at most maxEntries entries, dropping the stalest', () => {
    const { refusals, advance } = tracker(3);
    for (let id = 1; id <= 5; id++) {
      refusals.record({ projectId: id, status: 429, reason: 'rate-limited', detail: `project ${id} is rate limited` });
      advance(1000);
    }
    expect(refusals.list().map((r) => r.projectId)).toEqual([5, 4, 3]);
  });
});
