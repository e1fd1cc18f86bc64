/**
 * WAL checkpoints on a worker thread (store/background-checkpoints.ts), on real SQLite files:
 * the worker copies commits into the database file while the writing connection never
 * checkpoints, the WAL stays bounded under writes that never pause, the worker runs only while
 * commits come quickly (and stops after a quiet spell), a clean stop leaves no WAL behind, and a
 * worker that cannot run hands checkpoints back to SQLite's auto-checkpoint.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundCheckpoints, FOREGROUND_AUTOCHECKPOINT_PAGES, WAKE_COMMITS_PER_SECOND } from '../../../src/main/store/background-checkpoints';
import { openStore } from '../../../src/main/store';

type Db = Database.Database;
const cleanup: (() => void)[] = [];

afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

function walDb(): { db: Db; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'stacktray-ckpt-')), 'test.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${FOREGROUND_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${2 * 1024 * 1024}`);
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  cleanup.push(() => db.open && db.close());
  return { db, file };
}

/** One commit of `rows` rows of 2 KB: about that many WAL pages. */
function commit(db: Db, rows: number): void {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(Buffer.alloc(2048, i));
  })();
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('background checkpoints', () => {
  it('the worker copies commits into the database file; the writing connection never checkpoints', async () => {
    const { db, file } = walDb();
    const checkpoints = BackgroundCheckpoints.start(db, file, { wakeCommitsPerSecond: 0 });
    expect(checkpoints).not.toBeNull();
    cleanup.push(() => checkpoints?.stop());
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fileSize(file);

    for (let i = 0; i < 20; i++) {
      commit(db, 20);
      checkpoints!.afterWrite();
      await sleep(5);
    }
    // 400 rows of 2 KB: the database file only grows when a checkpoint copies pages into it.
    await until(() => fileSize(file) >= before + 400 * 2048);
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 400 });
  });

  it('keeps the WAL bounded under commits that never pause', async () => {
    const { db, file } = walDb();
    const warnings: string[] = [];
    const checkpoints = BackgroundCheckpoints.start(db, file, { maxWalBytes: 2 * 1024 * 1024, wakeCommitsPerSecond: 0, warn: (line) => warnings.push(line) });
    cleanup.push(() => checkpoints?.stop());
    let largestWal = 0;
    let restarts = 0;
    let previousWal = 0;
    // A commit of 8 pages every millisecond for two seconds (32 MB/s: as much WAL as ingest
    // writes at saturation), yielding between commits as ingest does.
    const until = Date.now() + 2_000;
    let commits = 0;
    while (Date.now() < until) {
      commit(db, 8);
      checkpoints!.afterWrite();
      commits++;
      const wal = fileSize(`${file}-wal`);
      // A restarted WAL over the limit is cut back to it: the file shrinks.
      if (wal < previousWal) restarts++;
      previousWal = wal;
      largestWal = Math.max(largestWal, wal);
      await sleep(1);
    }
    expect(warnings).toEqual([]);
    // Written in all: over 8 MB; without restarts the WAL would hold all of it (~60 MB on a quiet
    // machine). It restarts once past 2 MB, so it holds that plus what came during one checkpoint
    // on the worker: the file shrinks again and again, and never holds half of what was written.
    const written = commits * 8 * 4096;
    expect(written).toBeGreaterThan(8 * 1024 * 1024);
    expect(restarts).toBeGreaterThanOrEqual(2);
    expect(largestWal).toBeLessThan(written / 2);
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: commits * 8 });
  });

  it('starts the worker only when commits come quickly, and stops it after a quiet spell', async () => {
    const { db, file } = walDb();
    const warnings: string[] = [];
    const checkpoints = BackgroundCheckpoints.start(db, file, { idleStopMs: 300, warn: (line) => warnings.push(line) })!;
    cleanup.push(() => checkpoints.stop());
    // A trickle (5 commits a second): SQLite's auto-checkpoint keeps the WAL, on this thread.
    for (let i = 0; i < 10; i++) {
      commit(db, 1);
      checkpoints.afterWrite();
      await sleep(200);
    }
    expect(checkpoints.running).toBe(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FOREGROUND_AUTOCHECKPOINT_PAGES);

    // A burst: the worker starts with the commit that makes WAKE_COMMITS_PER_SECOND within a
    // second (the trickle's commits are over a second old by then), and checkpoints.
    await sleep(1_100);
    for (let i = 0; i < WAKE_COMMITS_PER_SECOND; i++) {
      expect(checkpoints.running).toBe(false);
      commit(db, 20);
      checkpoints.afterWrite();
    }
    expect(checkpoints.running).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const rows = 10 + WAKE_COMMITS_PER_SECOND * 20;
    await until(() => fileSize(file) >= rows * 2048);

    // Quiet: the worker closes its connection and goes; SQLite checkpoints again.
    await until(() => !checkpoints.running);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FOREGROUND_AUTOCHECKPOINT_PAGES);

    // The next burst starts a new worker, which checkpoints as the first did.
    const before = fileSize(file);
    for (let i = 0; i < WAKE_COMMITS_PER_SECOND; i++) {
      commit(db, 20);
      checkpoints.afterWrite();
    }
    expect(checkpoints.running).toBe(true);
    await until(() => fileSize(file) >= before + WAKE_COMMITS_PER_SECOND * 20 * 2048);
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: rows + WAKE_COMMITS_PER_SECOND * 20 });
    expect(warnings).toEqual([]);
  });

  it('a clean close of the store leaves no WAL behind', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stacktray-ckpt-')), 'stacktray.db');
    const store = openStore(file, () => 'http://127.0.0.1:8969');
    store.startBackgroundCheckpoints(() => undefined);
    store.projects.create('second');
    const second = store.projects.list().find((project) => project.name === 'second')!.id;
    const sessions = () => store.writer.writeBatch({ events: [], otherItems: [{ projectId: second, counts: { session: 1 } }], looseAttachments: [] }, Date.now() / 1000);
    // An idle store, or one with a few commits, does without the worker.
    sessions();
    expect(store.checkpointWorkerRunning).toBe(false);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(FOREGROUND_AUTOCHECKPOINT_PAGES);
    for (let i = 1; i < WAKE_COMMITS_PER_SECOND; i++) sessions();
    expect(store.checkpointWorkerRunning).toBe(true);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare('SELECT name FROM projects ORDER BY id').all()).toEqual([{ name: 'second' }]);
    expect(reopened.prepare('SELECT count FROM item_counts').get()).toEqual({ count: WAKE_COMMITS_PER_SECOND });
    reopened.close();
  });

  it('a worker that cannot open the database hands checkpoints back to SQLite, and says so once', async () => {
    const { db } = walDb();
    const warnings: string[] = [];
    const checkpoints = BackgroundCheckpoints.start(db, join(tmpdir(), 'no-such-folder-stacktray', 'missing.db'), { wakeCommitsPerSecond: 0, warn: (line) => warnings.push(line) });
    cleanup.push(() => checkpoints?.stop());
    await until(() => warnings.length > 0);
    await sleep(50);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^checkpoint worker failed: .+; checkpoints run on the main thread again$/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FOREGROUND_AUTOCHECKPOINT_PAGES);
  });
});
