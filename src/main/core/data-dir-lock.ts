/**
 * One process owns a data folder at a time. The lock file names the owner: its pid and, where
 * the OS tells (Linux's /proc), when that process started. A lock whose process is gone
 * (killed, crashed) is stale and taken over. A pid alone is not enough: pids are reused, so a
 * live process that took a dead owner's pid would keep the folder locked for good; the start
 * time tells the two apart. Elsewhere (no /proc) the pid is all there is to go by.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLockedError } from './core-types';
import { LOCK_FILE } from './paths';

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
  if (owner && owner.pid !== process.pid && ownerIsAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid);
}

export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, started: processStarted(process.pid) } satisfies LockOwner);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, mine);
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // Vanished between open and read: try again.
      }
      const owner = parseLockOwner(text);
      if (owner && owner.pid !== process.pid && ownerIsAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid);
      try {
        // Only the stale lock just judged: another process may have replaced it meanwhile.
        if (readFileSync(file, 'utf8') === text) unlinkSync(file);
      } catch {
        // Another process took it over first; the next attempt decides.
      }
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
