/** Opens the SQLite database with the pragmas Stacktray relies on and brings its schema up to date. */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { FOREGROUND_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from './background-checkpoints';
import { MIGRATIONS } from './migrations';
import { openMarkerPath, previousRunWasUnclean, removeOpenMarker, writeOpenMarker } from './open-marker';
import { isCorruptionError, probeTables } from './table-probe';

export type Db = Database.Database;

export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
}

export interface OpenedDb {
  db: Db;
  /** The database file's path. */
  file: string;
  /** Set when a corrupt database was moved aside: where it went. */
  movedAsideTo: string | null;
  /** The previous run left the database open (killed, crashed, power loss). */
  uncleanShutdown: boolean;
  /** PRAGMA quick_check ran on the existing file: only after an unclean shutdown (see openDatabase). */
  integrityChecked: boolean;
  /** Closes the connection and records the clean shutdown; safe to call twice. */
  close(): void;
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
  // Until the store moves checkpoints to a worker (background-checkpoints.ts), and whenever that
  // worker is lost, they run on the ingest thread and end with an fsync: a small WAL (500 pages,
  // 2 MB) keeps each stall short. At 400 events/s, p99 was 270–300 ms with 20,000 pages,
  // 90–120 ms with 4,000, 30 ms with 500, at the same CPU per event (BENCHMARKS.md).
  db.pragma(`wal_autocheckpoint = ${FOREGROUND_AUTOCHECKPOINT_PAGES}`);
  // A WAL that grew under a long burst is cut back to this size when it restarts.
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}

/**
 * A database without tables yet gets incremental auto-vacuum, which SQLite only accepts before
 * the first table: retention then hands evicted pages back to the file system instead of keeping
 * a file at its high-water mark. Older databases keep their mode (converting means a full VACUUM).
 */
function enableIncrementalVacuumIfNew(db: Db): void {
  const tables = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
  if (tables.n === 0) db.pragma('auto_vacuum = INCREMENTAL');
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

/** Runs PRAGMA quick_check on its own connection: false when the file is damaged or not a database. */
function passesQuickCheck(file: string): boolean {
  try {
    const probe = new Database(file, { fileMustExist: true });
    try {
      const rows = probe.pragma('quick_check') as { quick_check: string }[];
      return rows.length === 1 && rows[0]?.quick_check === 'ok';
    } finally {
      probe.close();
    }
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    return false;
  }
}

function moveAside(file: string): string {
  const movedAsideTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, movedAsideTo);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedAsideTo + suffix);
  }
  return movedAsideTo;
}

/** Deletes a database and SQLite's files beside it (for one made by a start that then failed). */
export function removeDatabaseFiles(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`, openMarkerPath(file)]) rmSync(path, { force: true });
}

function openAndMigrate(file: string): Db {
  const db = new Database(file);
  try {
    enableIncrementalVacuumIfNew(db);
    applyPragmas(db);
    migrate(db);
    probeTables(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens (creating if needed) and migrates. A corrupt file is moved aside, never overwritten.
 *
 * The full PRAGMA quick_check (seconds on a database of gigabytes) runs only when the previous
 * run did not close the database (open-marker.ts): SQLite's WAL recovery makes an interrupted
 * run safe, and quick_check is the guard against a crash that left the file damaged anyway.
 * After a clean close, corruption since (a disk fault, another program) still shows at open as
 * SQLITE_NOTADB, or as SQLITE_CORRUPT from the table probe, and is moved aside the same way;
 * damage deep inside a large table then surfaces as SQLITE_CORRUPT from the queries touching it.
 */
export function openDatabase(file: string): OpenedDb {
  let movedAsideTo: string | null = null;
  const existed = existsSync(file);
  const uncleanShutdown = existed && previousRunWasUnclean(file);
  if (uncleanShutdown && !passesQuickCheck(file)) movedAsideTo = moveAside(file);
  writeOpenMarker(file);
  let opened: Db;
  try {
    try {
      opened = openAndMigrate(file);
    } catch (error) {
      if (!existed || movedAsideTo !== null || !isCorruptionError(error)) throw error;
      movedAsideTo = moveAside(file);
      opened = openAndMigrate(file);
    }
  } catch (error) {
    // Nothing was written: the next start needs no check on this run's account.
    removeOpenMarker(file);
    throw error;
  }
  return {
    db: opened,
    file,
    movedAsideTo,
    uncleanShutdown,
    integrityChecked: uncleanShutdown,
    close() {
      if (!opened.open) return;
      opened.close();
      removeOpenMarker(file);
    },
  };
}
