import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store';
import type { PreparedEvent } from '../../../src/main/store/ingest-writer';
import { encodePayload } from '../../../src/main/store/payload-codec';
import { RetentionStore } from '../../../src/main/store/retention';

const NOW = 1_760_000_000;
let store: Store;
let projectId: number;

beforeEach(() => {
  store = openStore(join(mkdtempSync(join(tmpdir(), 'stacktray-evicted-')), 'stacktray.db'), () => 'http://127.0.0.1:8969');
  store.ensureDefaultProject();
  projectId = store.projects.list()[0]?.id ?? 0;
});

afterEach(() => store.close());

function eventId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** One event as the pipeline prepares it, of the issue grouped by `hash`. */
function prepared(n: number, hash = 'a'.repeat(32), extra: { release?: string; project?: number } = {}): PreparedEvent {
  const id = eventId(n);
  const event = { event_id: id, timestamp: NOW + n, received: NOW + n, platform: 'node', level: 'error' as const, ...(extra.release ? { release: extra.release } : {}) };
  return {
    projectId: extra.project ?? projectId,
    event,
    grouping: { config: 'test:1', hashes: [hash], title: `Error ${hash.slice(0, 4)}`, culprit: 'app.js', metadata: {} },
    payload: encodePayload(JSON.stringify({ event_id: id, message: `event ${n}` })),
    attachments: [],
    userKey: `id:user-${n}`,
    tags: [['level', 'error']],
    searchText: 'Error',
  };
}

function write(events: PreparedEvent[]): ReturnType<Store['writer']['writeBatch']> {
  return store.writer.writeBatch({ events, otherItems: [], looseAttachments: [] }, NOW + 1000);
}

function rowIdsOf(ns: number[]): number[] {
  return ns.map((n) => (store.db.prepare('SELECT id FROM events WHERE event_id = ?').get(eventId(n)) as { id: number }).id);
}

function scalar(sql: string, ...params: unknown[]): number {
  return Object.values(store.db.prepare(sql).get(...params) as Record<string, number>)[0] ?? 0;
}

describe('re-sent events whose payload retention evicted', () => {
  it('are acknowledged as duplicates: nothing is counted, stored or alerted again', () => {
    const first = write([1, 2, 3, 4, 5].map((n) => prepared(n)));
    expect(first.stored).toHaveLength(5);
    const issueId = first.createdIssueIds[0];
    expect(new RetentionStore(store.db, () => (NOW + 2000) * 1000).evict(rowIdsOf([1, 2, 3]))).toBe(3);
    expect(scalar('SELECT count(*) FROM events')).toBe(2);
    expect(store.db.prepare('SELECT event_id, evicted_at FROM evicted_events ORDER BY id').all()).toEqual(
      [1, 2, 3].map((n) => ({ event_id: eventId(n), evicted_at: NOW + 2000 })),
    );

    // The SDK re-sends all five (evicted and live) along with one new event.
    const again = write([1, 2, 3, 4, 5, 6].map((n) => prepared(n)));

    expect(again).toMatchObject({ duplicates: 5, createdIssueIds: [], updatedIssueIds: [issueId], alerts: [] });
    expect(again.stored.map((event) => event.eventId)).toEqual([eventId(6)]);
    expect(scalar('SELECT count FROM issues WHERE id = ?', issueId)).toBe(6);
    expect(scalar('SELECT user_count FROM issues WHERE id = ?', issueId)).toBe(6);
    expect(scalar('SELECT sum(count) FROM issue_hourly WHERE issue_id = ?', issueId)).toBe(6);
    expect(scalar("SELECT count FROM issue_tags WHERE issue_id = ? AND key = 'level'", issueId)).toBe(6);
    expect(scalar('SELECT count(*) FROM events')).toBe(3);
  });

  it('do not open a new issue or register a release even when they now group or release differently', () => {
    write([prepared(1)]);
    new RetentionStore(store.db).evict(rowIdsOf([1]));

    const again = write([prepared(1, 'b'.repeat(32), { release: 'app@2.0.0' })]);

    expect(again).toMatchObject({ stored: [], duplicates: 1, createdIssueIds: [], alerts: [] });
    expect(scalar('SELECT count(*) FROM issues')).toBe(1);
    expect(scalar('SELECT count(*) FROM releases')).toBe(0);
  });

  it('are duplicates per project: the same id in another project is a different event', () => {
    write([prepared(1)]);
    new RetentionStore(store.db).evict(rowIdsOf([1]));
    const other = store.projects.create('other').id;

    const again = write([prepared(1, 'a'.repeat(32), { project: other }), prepared(1)]);

    expect(again.duplicates).toBe(1);
    expect(again.stored.map((event) => event.projectId)).toEqual([other]);
  });

  it('are forgotten after keepDays or beyond maxKept, oldest first, and then counted as new again', () => {
    write([1, 2, 3, 4, 5, 6].map((n) => prepared(n)));
    const day = 86_400_000;
    new RetentionStore(store.db, () => (NOW - 40 * 86_400) * 1000).evict(rowIdsOf([1, 2]));
    new RetentionStore(store.db, () => NOW * 1000).evict(rowIdsOf([3, 4, 5, 6]));
    const retention = new RetentionStore(store.db, () => NOW * 1000 + day);
    const cutoff = NOW - 30 * 86_400;

    // Ids 1 and 2 are past 30 days; of the rest, only the newest 3 fit (6 is kept over 3).
    expect(retention.forgetEvictedIds(cutoff, 3, 250)).toBe(3);
    expect(retention.forgetEvictedIds(cutoff, 3, 250)).toBe(0);
    expect((store.db.prepare('SELECT event_id FROM evicted_events ORDER BY id').pluck().all() as string[])).toEqual([4, 5, 6].map(eventId));

    const again = write([1, 3, 4].map((n) => prepared(n)));
    expect(again.stored.map((event) => event.eventId)).toEqual([eventId(1), eventId(3)]);
    expect(again.duplicates).toBe(1);
  });

  it('go with their project when it is deleted', () => {
    const other = store.projects.create('other').id;
    write([prepared(1, 'a'.repeat(32), { project: other }), prepared(2)]);
    new RetentionStore(store.db).evict(rowIdsOf([1, 2]));
    expect(scalar('SELECT count(*) FROM evicted_events')).toBe(2);

    expect(store.projects.delete(other)).toBe(true);

    expect(store.db.prepare('SELECT event_id FROM evicted_events').pluck().all()).toEqual([eventId(2)]);
  });
});

describe('duplicates among live events', () => {
  it('twice in one batch: stored and counted once', () => {
    const outcome = write([prepared(1), prepared(1), prepared(2)]);
    expect(outcome.stored.map((event) => event.eventId)).toEqual([eventId(1), eventId(2)]);
    expect(outcome.duplicates).toBe(1);
    expect(scalar('SELECT count FROM issues')).toBe(2);
  });
});
