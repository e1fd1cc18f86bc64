import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RetentionJob } from '../../../src/main/core/retention-job';
import { RetentionStore } from '../../../src/main/store/retention';
import { defaultSettings, type Settings } from '../../../src/shared/settings';
import { issueIdOf, scalar, tempStore, type FilledStore } from './fill-store';

const DAY = 86_400;
let open: FilledStore[] = [];

function withRetention(retention: Partial<Settings['retention']>): () => Settings {
  const settings = defaultSettings();
  settings.retention = { ...settings.retention, ...retention };
  return () => settings;
}

function filled(prepare?: (file: string) => void): FilledStore {
  const filledStore = tempStore(prepare);
  open.push(filledStore);
  return filledStore;
}

afterEach(() => {
  for (const { store } of open) store.close();
  open = [];
});

interface IssueFacts {
  count: number;
  user_count: number;
  first_seen: number;
  last_seen: number;
}

function issueFacts(s: FilledStore, issueId: number): IssueFacts {
  return s.store.db.prepare('SELECT count, user_count, first_seen, last_seen FROM issues WHERE id = ?').get(issueId) as IssueFacts;
}

describe('RetentionJob over a real store', () => {
  it('samples a busy issue down to its limit, keeping the first 100 and the newest, with counts exact', async () => {
    const s = filled();
    const busy = await s.add('busy', 1500, { user: (n) => `u${n % 37}`, attachment: true });
    const quiet = await s.add('quiet', 20, { attachment: true });
    const busyIssue = issueIdOf(s.store, busy[0] ?? '');
    const quietIssue = issueIdOf(s.store, quiet[0] ?? '');
    const before = issueFacts(s, busyIssue);

    const report = await new RetentionJob(s.store.db, withRetention({ maxEventsPerIssue: 300 })).runPass();

    expect(report).toMatchObject({ byAge: 0, perIssue: 1200, overTotal: 0, overSize: 0 });
    expect(scalar(s.store, 'SELECT count(*) FROM events WHERE issue_id = ?', busyIssue)).toBe(300);
    expect(scalar(s.store, 'SELECT count(*) FROM events WHERE issue_id = ?', quietIssue)).toBe(20);
    expect(issueFacts(s, busyIssue)).toEqual(before);
    expect(before).toMatchObject({ count: 1500, user_count: 37 });
    expect(issueFacts(s, quietIssue).count).toBe(20);
    const keptIds = new Set(
      (s.store.db.prepare('SELECT event_id FROM events WHERE issue_id = ?').all(busyIssue) as { event_id: string }[]).map((r) => r.event_id),
    );
    for (const eventId of busy.slice(0, 100)) expect(keptIds.has(eventId)).toBe(true);
    for (const eventId of busy.slice(-10)) expect(keptIds.has(eventId)).toBe(true);
    // Attachments went with their events; none is left without one.
    expect(scalar(s.store, 'SELECT count(*) FROM attachments')).toBe(320);
    expect(scalar(s.store, 'SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.project_id = a.project_id AND e.event_id = a.event_id)')).toBe(0);
    // Tags and hourly counts are aggregates of every event, not of the kept ones.
    expect(scalar(s.store, "SELECT count FROM issue_tags WHERE issue_id = ? AND key = 'level'", busyIssue)).toBe(1500);
    expect(scalar(s.store, 'SELECT sum(count) FROM issue_hourly WHERE issue_id = ?', busyIssue)).toBe(1500);

    // A second pass finds nothing more; new events are sampled in on the next one.
    expect((await new RetentionJob(s.store.db, withRetention({ maxEventsPerIssue: 300 })).runPass()).perIssue).toBe(0);
    await s.add('busy', 200);
    expect((await new RetentionJob(s.store.db, withRetention({ maxEventsPerIssue: 300 })).runPass()).perIssue).toBe(200);
    expect(issueFacts(s, busyIssue).count).toBe(1700);
  });

  it('evicts events older than maxAgeDays, leaving their issue counted', async () => {
    const s = filled();
    const now = Date.now() / 1000;
    const old = await s.add('old', 50, { receivedAt: now - 100 * DAY });
    const fresh = await s.add('fresh', 30, { receivedAt: now - 1 * DAY });
    const job = new RetentionJob(s.store.db, withRetention({ maxAgeDays: 90 }), { batchSize: 7 });

    expect(await job.runPass()).toMatchObject({ byAge: 50, perIssue: 0, overTotal: 0, overSize: 0 });
    expect(scalar(s.store, 'SELECT count(*) FROM events')).toBe(30);
    expect(scalar(s.store, 'SELECT count(*) FROM events WHERE event_id IN (?, ?)', old[0], old[49])).toBe(0);
    expect(issueFacts(s, issueIdOf(s.store, fresh[0] ?? '')).count).toBe(30);
    expect(scalar(s.store, 'SELECT count FROM issues WHERE title LIKE ?', '%old%')).toBe(50);
  });

  it('keeps at most maxEventsTotal payloads, evicting the oldest first', async () => {
    const s = filled();
    const first = await s.add('a', 300);
    const second = await s.add('b', 300);
    const third = await s.add('c', 300);

    const report = await new RetentionJob(s.store.db, withRetention({ maxEventsTotal: 500 }), { batchSize: 64 }).runPass();

    expect(report.overTotal).toBe(400);
    expect(scalar(s.store, 'SELECT count(*) FROM events')).toBe(500);
    const remaining = (s.store.db.prepare('SELECT event_id FROM events ORDER BY id').all() as { event_id: string }[]).map((r) => r.event_id);
    expect(remaining).toEqual([...second.slice(100), ...third]);
    expect(first.some((id) => remaining.includes(id))).toBe(false);
    expect(scalar(s.store, 'SELECT sum(count) FROM issues')).toBe(900);
  });

  it('keeps the ids of evicted events, at most evictedIds.maxKept of them, so re-sent ones stay duplicates', async () => {
    const s = filled();
    const sent = await s.add('a', 300);
    const job = new RetentionJob(s.store.db, withRetention({ maxEventsTotal: 100 }), { evictedIds: { keepDays: 30, maxKept: 150 } });

    expect(await job.runPass()).toMatchObject({ overTotal: 200, forgottenIds: 50 });
    expect(scalar(s.store, 'SELECT count(*) FROM evicted_events')).toBe(150);
    // The 150 most recently evicted are remembered: re-sending them changes nothing.
    await s.resend(sent.slice(50, 200));
    expect(scalar(s.store, 'SELECT count(*) FROM events')).toBe(100);
    expect(scalar(s.store, 'SELECT count FROM issues')).toBe(300);
    // The 50 forgotten are taken as new events (the bound's price).
    await s.resend(sent.slice(0, 50));
    expect(scalar(s.store, 'SELECT count FROM issues')).toBe(350);
  });

  it('evicts the oldest events until the database is under maxDatabaseMb', async () => {
    const s = filled();
    // Random hex compresses only about 2×: ~0.9 KB stored per event, ~1.8 MB in all.
    for (let round = 0; round < 4; round++) await addBulky(s, 500);
    const retention = new RetentionStore(s.store.db);
    expect(retention.usedBytes()).toBeGreaterThan(1.5 * 1048576);
    const newest = retention.newestRowId();

    const report = await new RetentionJob(s.store.db, withRetention({ maxDatabaseMb: 1, maxEventsPerIssue: 100_000 })).runPass();

    expect(report.overSize).toBeGreaterThan(0);
    expect(report.stillOverSizeBytes).toBeNull();
    expect(retention.usedBytes()).toBeLessThanOrEqual(1048576);
    expect(retention.newestRowId()).toBe(newest);
    expect(scalar(s.store, 'SELECT count(*) FROM events')).toBe(2000 - report.overSize);
    expect(scalar(s.store, 'SELECT sum(count) FROM issues')).toBe(2000);
  });

  it('evicts large events by bytes, just enough to get under maxDatabaseMb, and logs it once as a warning', async () => {
    const s = filled();
    // 36 events of ~70 KB stored each (random hex compresses about 2×): ~2.5 MB over three issues.
    for (let round = 0; round < 12; round++) for (const key of ['a', 'b', 'c']) await addLarge(s, key, 1, 140);
    const retention = new RetentionStore(s.store.db);
    expect(retention.usedBytes()).toBeGreaterThan(2.2 * 1048576);
    const lines: [string, string][] = [];
    const settings = withRetention({ maxDatabaseMb: 1, maxEventsPerIssue: 100_000 });
    const job = new RetentionJob(s.store.db, settings, { log: (level, line) => lines.push([level, line]) });

    const report = await job.runPass();

    const used = retention.usedBytes();
    expect(used).toBeLessThanOrEqual(1048576);
    // Under the cap by less than two events' worth: not the whole store, not 250 events at a time.
    expect(used).toBeGreaterThan(1048576 - 2 * 80 * 1024);
    expect(report.overSize).toBeGreaterThan(18);
    expect(report.overSize).toBeLessThan(26);
    expect(scalar(s.store, 'SELECT count(*) FROM events')).toBe(36 - report.overSize);
    expect(lines).toEqual([['warn', expect.stringMatching(new RegExp(`^retention evicted ${report.overSize} event payload\\(s\\): ${report.overSize} \\(\\d+\\.\\d MB\\) to stay under the 1 MB database cap, oldest first$`))]]);

    // More of the same: evicted again, logged at info (the warning was once).
    for (const key of ['a', 'b', 'c']) await addLarge(s, key, 2, 140);
    const again = await job.runPass();
    expect(again.overSize).toBeGreaterThan(3);
    expect(lines.slice(1).map(([level]) => level)).toEqual(['info']);
  });

  it('never evicts an issue\'s newest event for the size cap, even when that leaves the store over it', async () => {
    const s = filled();
    const newest: string[] = [];
    for (const key of ['a', 'b', 'c', 'd']) newest.push(...(await addLarge(s, key, 5, 140)).slice(-1));
    const lines: [string, string][] = [];
    const job = new RetentionJob(s.store.db, withRetention({ maxDatabaseMb: 0.1, maxEventsPerIssue: 100_000 }), {
      log: (level, line) => lines.push([level, line]),
    });

    const report = await job.runPass();

    expect(report.overSize).toBe(16);
    const kept = (s.store.db.prepare('SELECT event_id FROM events ORDER BY id').all() as { event_id: string }[]).map((r) => r.event_id);
    expect(kept).toEqual(newest);
    expect(report.stillOverSizeBytes).toBeGreaterThan(0.1 * 1048576);
    expect(lines.map(([level]) => level)).toEqual(['warn', 'warn']);
  });

  it('keeps an issue\'s newest events (and its first, and one between) under a small maxEventsPerIssue', async () => {
    const s = filled();
    const sent = await s.add('busy', 50);
    const issueId = issueIdOf(s.store, sent[0] ?? '');

    const report = await new RetentionJob(s.store.db, withRetention({ maxEventsPerIssue: 5 })).runPass();

    expect(report.perIssue).toBe(45);
    const kept = (s.store.db.prepare('SELECT event_id FROM events WHERE issue_id = ? ORDER BY id').all(issueId) as { event_id: string }[]).map(
      (r) => r.event_id,
    );
    expect(kept).toHaveLength(5);
    expect(kept[0]).toBe(sent[0]);
    expect(kept.slice(2)).toEqual(sent.slice(-3));
    expect(sent.slice(1, -3)).toContain(kept[1]);
    // The issue's latest event, as the API serves it, is the one its last seen names.
    expect(s.store.events.latest(issueId)?.summary.eventId).toBe(sent[49]);
  });

  it('shrinks a new database (incremental auto-vacuum) after evicting: fewer pages, an empty free list, a smaller file', async () => {
    const s = filled();
    expect(scalar(s.store, 'PRAGMA auto_vacuum')).toBe(2);
    for (let round = 0; round < 4; round++) await addBulky(s, 500);
    s.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const pagesBefore = scalar(s.store, 'PRAGMA page_count');
    const sizeBefore = statSync(s.file).size;

    const report = await new RetentionJob(s.store.db, withRetention({ maxEventsTotal: 200, maxEventsPerIssue: 100_000 })).runPass();
    s.store.db.pragma('wal_checkpoint(TRUNCATE)');

    expect(report.overTotal).toBe(1800);
    expect(scalar(s.store, 'SELECT count(*) FROM events')).toBe(200);
    expect(report.releasedPages).toBeGreaterThan(0);
    expect(scalar(s.store, 'PRAGMA freelist_count')).toBe(0);
    // What is left: 200 payloads, and the 1,800 evicted ids (a few pages).
    expect(scalar(s.store, 'PRAGMA page_count')).toBeLessThan(pagesBefore / 2);
    expect(report.releasedPages).toBeGreaterThan(pagesBefore / 2);
    expect(statSync(s.file).size).toBe(scalar(s.store, 'PRAGMA page_count') * scalar(s.store, 'PRAGMA page_size'));
    expect(statSync(s.file).size).toBeLessThan(sizeBefore / 2);
  });

  it('leaves the free pages of a database made without auto-vacuum for reuse (it stops growing, it does not shrink)', async () => {
    // A database from before incremental auto-vacuum: a table already existed when the store first opened it.
    const s = filled((file) => {
      const seed = new Database(file);
      seed.exec('CREATE TABLE seed (x)');
      seed.close();
    });
    expect(scalar(s.store, 'PRAGMA auto_vacuum')).toBe(0);
    for (let round = 0; round < 4; round++) await addBulky(s, 500);
    const pagesBefore = scalar(s.store, 'PRAGMA page_count');

    const report = await new RetentionJob(s.store.db, withRetention({ maxEventsTotal: 200, maxEventsPerIssue: 100_000 })).runPass();

    expect(report.overTotal).toBe(1800);
    expect(report.releasedPages).toBe(0);
    expect(scalar(s.store, 'PRAGMA page_count')).toBeGreaterThanOrEqual(pagesBefore);
    expect(scalar(s.store, 'PRAGMA freelist_count')).toBeGreaterThan(pagesBefore / 2);
    // It stops growing: new events reuse the freed pages.
    const pagesAfter = scalar(s.store, 'PRAGMA page_count');
    await addBulky(s, 500);
    expect(scalar(s.store, 'PRAGMA page_count')).toBe(pagesAfter);
  });
});

async function addBulky(s: FilledStore, count: number): Promise<void> {
  const events = [];
  const { normalizeEvent } = await import('../../../src/main/pipeline/normalize');
  for (let n = 0; n < count; n++) {
    const raw = { message: 'bulky', extra: { blob: Array.from({ length: 96 }, () => Math.random().toString(16).slice(2, 18)).join('') } };
    const result = normalizeEvent(raw, { receivedAt: Date.now() / 1000 });
    if (!result.ok) throw new Error(result.reason);
    events.push({ event: result.event, payload: JSON.stringify(raw), attachments: [] });
  }
  await s.pipeline.accept({ projectId: s.projectId, events, otherItems: {} });
}

/** Stores `count` events of the issue `key` of about `kb` KB of random hex each (about half that stored). */
async function addLarge(s: FilledStore, key: string, count: number, kb: number): Promise<string[]> {
  const { normalizeEvent } = await import('../../../src/main/pipeline/normalize');
  const events = [];
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const chunks = Math.ceil((kb * 1024) / 8000);
    const blob = Object.fromEntries(
      Array.from({ length: chunks }, (_, i) => [`part${i}`, Array.from({ length: 500 }, () => Math.random().toString(16).slice(2, 18)).join('')]),
    );
    const raw = { event_id: randomUUID().replaceAll('-', ''), message: `large ${key}`, extra: blob };
    const result = normalizeEvent(raw, { receivedAt: Date.now() / 1000 });
    if (!result.ok) throw new Error(result.reason);
    events.push({ event: result.event, payload: JSON.stringify(raw), attachments: [] });
    ids.push(raw.event_id);
  }
  await s.pipeline.accept({ projectId: s.projectId, events, otherItems: {} });
  return ids;
}
