/**
 * One process owns a data folder at a time. The owner holds an OS file lock (an open exclusive
 * SQLite transaction on an empty file: fcntl on Unix, LockFileEx on Windows), which the OS drops
 * when the process ends however it ends, so a dead owner never keeps the folder and a reused pid
 * cannot fake one. The lock file beside it names the owner for the "already running" message: its
 * pid and, where the OS tells (Linux's /proc), when that process started.
 *
 * A lock file written by an owner that held the OS lock is stale as soon as the OS lock is free.
 * One from a Stacktray before the OS lock (or a folder where SQLite cannot lock, e.g. some network
 * file systems) is judged as before: stale when its pid is gone or, where recorded, started later.
 */
import Database from 'better-sqlite3';
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLockedError } from './core-types';
import { LOCK_FILE, OS_LOCK_FILE } from './paths';

export interface DataDirLock {
  release(): void;
}

export interface LockOwner {
  pid: number;
  /** When the process started (boot id and start tick), or null where the OS does not say. */
  started: string | null;
}

/** Boot id and start time (clock ticks since boot, field 22 of /proc/<pid>/stat): unique to one process on one machine. */
export function processStarted(pid: number): string | null {
  try {
    const startTicks = startTicksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (startTicks === null) return null;
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${bootId}:${startTicks}`;
  } catch {
    return null;
  }
}

/** Field 22 of a /proc/<pid>/stat line. */
export function startTicksFromStat(stat: string): string | null {
  // The command name (field 2) is in parentheses and may hold spaces or ')': count from the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = fields[19];
  return startTicks !== undefined && /^\d+$/.test(startTicks) ? startTicks : null;
}

/** The lock file's text: JSON, or a bare pid as Stacktray wrote before it recorded start times. */
export function parseLockOwner(text: string): LockOwner | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), started: null };
  try {
    const parsed = JSON.parse(trimmed) as { pid?: unknown; started?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, started: typeof parsed.started === 'string' ? parsed.started : null };
  } catch {
    return null;
  }
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that wrote the lock still runs: its pid is alive and, where recorded, started when it did. */
export function ownerIsAlive(owner: LockOwner): boolean {
  if (!pidIsAlive(owner.pid)) return false;
  if (owner.started === null) return true;
  const started = processStarted(owner.pid);
  // Unknown now (no /proc access): keep the lock rather than risk two owners.
  return started === null || started === owner.started;
}

type OsLock = { held: Database.Database } | 'taken' | 'unavailable';

/** Takes the OS lock: an exclusive transaction left open on an empty SQLite file until release or exit. */
function takeOsLock(dataDir: string): OsLock {
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, OS_LOCK_FILE), { timeout: 0 });
  } catch {
    return 'unavailable';
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
    return { held: db };
  } catch (error) {
    db.close();
    return (error as { code?: unknown }).code === 'SQLITE_BUSY' ? 'taken' : 'unavailable';
  }
}

/** The lock file's writer held the OS lock: once that is free, the writer is gone, whatever its pid is now. */
export function writtenUnderOsLock(text: string): boolean {
  try {
    return (JSON.parse(text) as { osLock?: unknown } | null)?.osLock === true;
  } catch {
    return false;
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    return parseLockOwner(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Whether another process holds the OS lock now; asks without creating the lock's file. */
function osLockIsHeld(dataDir: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, OS_LOCK_FILE), { timeout: 0, fileMustExist: true });
  } catch {
    return false;
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'SQLITE_BUSY';
  } finally {
    db.close();
  }
}

/**
 * Throws DataDirLockedError when a live process holds the folder's lock, and creates nothing: a
 * start asks this before probing its port, so that the owner is named rather than its port.
 * lockDataDir still decides, atomically.
 */
export function assertDataDirUnlocked(dataDir: string): void {
  let text: string;
  try {
    text = readFileSync(join(dataDir, LOCK_FILE), 'utf8');
  } catch {
    return; // No folder or no lock yet.
  }
  const owner = parseLockOwner(text);
  if (!owner || owner.pid === process.pid) return;
  const held = writtenUnderOsLock(text) ? osLockIsHeld(dataDir) : ownerIsAlive(owner);
  if (held) throw new DataDirLockedError(dataDir, owner.pid);
}

export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const osLock = takeOsLock(dataDir);
  const heldDb = typeof osLock === 'object' ? osLock.held : null;
  if (osLock === 'taken') {
    // Another process holds the folder. (This process's own earlier lock names this pid: taken over.)
    const owner = readOwner(file);
    if (owner?.pid !== process.pid) throw new DataDirLockedError(dataDir, owner?.pid ?? 0);
  }
  const releaseOsLock = (): void => {
    if (heldDb?.open) heldDb.close();
  };
  const owner: LockOwner = { pid: process.pid, started: processStarted(process.pid) };
  const mine = JSON.stringify(heldDb === null ? owner : { ...owner, osLock: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, mine);
      closeSync(fd);
      return {
        release() {
          try {
            // Only a lock naming this process (by pid and start time): another's may have replaced it.
            const current = parseLockOwner(readFileSync(file, 'utf8'));
            if (current?.pid === owner.pid && current.started === owner.started) unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
          releaseOsLock();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        releaseOsLock();
        throw error;
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // Vanished between open and read: try again.
      }
      const previous = parseLockOwner(text);
      // Holding the OS lock, a lock file written under the OS lock is stale whatever its pid says now.
      const gone = previous === null || previous.pid === process.pid || (heldDb !== null && writtenUnderOsLock(text)) || !ownerIsAlive(previous);
      if (!gone) {
        releaseOsLock();
        throw new DataDirLockedError(dataDir, previous.pid);
      }
      try {
        // Only the stale lock just judged: another process may have replaced it meanwhile.
        if (readFileSync(file, 'utf8') === text) unlinkSync(file);
      } catch {
        // Another process took it over first; the next attempt decides.
      }
    }
  }
  releaseOsLock();
  throw new Error(`could not lock ${dataDir}`);
}
