/** Opens the SQLite database with the pragmas Stacktray relies on and brings its schema up to date. */
import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
}

export interface OpenedDb {
  db: Db;
  /** Set when a corrupt database was moved aside: where it went. */
  movedAsideTo: string | null;
}

/**
 * WAL with synchronous=NORMAL: a commit is durable against a crash of this process (the WAL is
 * written before the commit returns); only an OS crash or power loss can drop the last commits.
 * That is the durability an acknowledged event needs on a developer machine, at a fraction of FULL's fsyncs.
 */
function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 2 MB of page cache: ingest touches the tail of a few indexes and the OS page cache holds
  // the rest; a bigger cache bought no measurable speed and cost up to 6 MB of RSS (BENCHMARKS.md).
  db.pragma('cache_size = -2000');
  db.pragma('temp_store = MEMORY');
  // Checkpoints run on the ingest thread and end with an fsync of the database: a small WAL
  // (500 pages, 2 MB) keeps each stall short. At 400 events/s, p99 was 270–300 ms with 20,000
  // pages, 90–120 ms with 4,000, 30 ms with 500, at the same CPU per event (BENCHMARKS.md).
  db.pragma('wal_autocheckpoint = 500');
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new NewerSchemaError(
      `the database was written by a newer Stacktray (schema ${current}, this version knows ${latest}); upgrade Stacktray or use another data folder`,
    );
  }
  for (let version = current + 1; version <= latest; version++) {
    const migration = MIGRATIONS[version - 1];
    if (!migration) continue;
    db.transaction(() => {
      migration(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

function isIntact(db: Db): boolean {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  return rows.length === 1 && rows[0]?.quick_check === 'ok';
}

/** Opens (creating if needed) and migrates. A corrupt file is moved aside, never overwritten. */
export function openDatabase(file: string): OpenedDb {
  let movedAsideTo: string | null = null;
  if (existsSync(file)) {
    let corrupt = false;
    try {
      const probe = new Database(file, { fileMustExist: true });
      try {
        corrupt = !isIntact(probe);
      } finally {
        probe.close();
      }
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      corrupt = true;
    }
    if (corrupt) {
      movedAsideTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, movedAsideTo);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, movedAsideTo + suffix);
      }
    }
  }
  const db = new Database(file);
  applyPragmas(db);
  migrate(db);
  return { db, movedAsideTo };
}

function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}
