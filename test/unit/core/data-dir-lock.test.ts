import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir, ownerIsAlive, parseLockOwner, processStarted, startTicksFromStat, writtenUnderOsLock } from '../../../src/main/core/data-dir-lock';
import { DataDirLockedError } from '../../../src/main/core/core-types';
import { startCli } from '../../support/cli-process';

/** Above Linux's largest possible pid (2^22): never a live process. */
const NEVER_A_PID = 4_194_305;
const hasProc = existsSync('/proc/self/stat');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'stacktray-lock-'));
}

describe('the data folder lock', () => {
  it('names its owner by pid and start time, and is released only by its owner', () => {
    const dir = tempDir();
    const lockFile = join(dir, 'stacktray.lock');
    const lock = lockDataDir(dir);
    const owner = parseLockOwner(readFileSync(lockFile, 'utf8'));
    expect(owner).toEqual({ pid: process.pid, started: processStarted(process.pid) });
    // Its own pid: taken over, as after a restart with the same pid.
    const again = lockDataDir(dir);
    expect(parseLockOwner(readFileSync(lockFile, 'utf8'))).toEqual(owner);
    // Another owner's lock (written since) survives this one's release.
    const other = JSON.stringify({ pid: process.ppid, started: processStarted(process.ppid) });
    writeFileSync(lockFile, other);
    lock.release();
    again.release();
    expect(readFileSync(lockFile, 'utf8')).toBe(other);
    // Its own is removed.
    writeFileSync(lockFile, JSON.stringify(owner));
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a folder held by a live process', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stacktray.lock'), JSON.stringify({ pid: process.ppid, started: processStarted(process.ppid) }));
    expect(() => lockDataDir(dir)).toThrow(new DataDirLockedError(dir, process.ppid));
    // A lock from before start times were recorded (a bare pid) is judged by the pid alone.
    writeFileSync(join(dir, 'stacktray.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  });

  it('takes over a lock whose process is gone, in either format, and one that is not a lock at all', () => {
    for (const text of [String(NEVER_A_PID), JSON.stringify({ pid: NEVER_A_PID, started: 'boot:1' }), 'garbage\n']) {
      const dir = tempDir();
      writeFileSync(join(dir, 'stacktray.lock'), text);
      const lock = lockDataDir(dir);
      expect(parseLockOwner(readFileSync(join(dir, 'stacktray.lock'), 'utf8'))?.pid).toBe(process.pid);
      lock.release();
      expect(existsSync(join(dir, 'stacktray.lock'))).toBe(false);
    }
  });

  it.skipIf(!hasProc)('takes over a lock whose pid was reused by a process that started later', () => {
    const dir = tempDir();
    const parentStarted = processStarted(process.ppid) ?? '';
    expect(parentStarted).toMatch(/^[0-9a-f-]+:\d+$/);
    const reused = { pid: process.ppid, started: `${parentStarted}0` };
    expect(ownerIsAlive(reused)).toBe(false);
    expect(ownerIsAlive({ pid: process.ppid, started: parentStarted })).toBe(true);
    writeFileSync(join(dir, 'stacktray.lock'), JSON.stringify(reused));
    const lock = lockDataDir(dir);
    expect(parseLockOwner(readFileSync(join(dir, 'stacktray.lock'), 'utf8'))?.pid).toBe(process.pid);
    lock.release();
  });

  it('reads a process start time past a command name holding spaces and parentheses', () => {
    const rest = 'S 1 1234 1234 0 -1 4194560 5000 0 0 0 120 30 0 0 20 0 11 0 98765 1000000 5000 18446744073709551615';
    expect(startTicksFromStat(`4321 (node) ${rest}`)).toBe('98765');
    expect(startTicksFromStat(`4321 (my (odd) app) ${rest}`)).toBe('98765');
    expect(startTicksFromStat('4321 (cut short) S 1')).toBeNull();
    expect(processStarted(NEVER_A_PID)).toBeNull();
  });

  it('reads lock files of either format and nothing else', () => {
    expect(parseLockOwner(' 4321\n')).toEqual({ pid: 4321, started: null });
    expect(parseLockOwner('{"pid": 12, "started": "b:7"}')).toEqual({ pid: 12, started: 'b:7' });
    expect(parseLockOwner('{"pid": 12, "started": 7}')).toEqual({ pid: 12, started: null });
    expect(parseLockOwner('{"pid": 0}')).toBeNull();
    expect(parseLockOwner('{"pid": "12"}')).toBeNull();
    expect(parseLockOwner('')).toBeNull();
  });

  it('holds an OS lock: another process is refused while it runs, and the folder is free the moment it is killed', async () => {
    const dir = tempDir();
    const server = await startCli(dir);
    const pid = server.child.pid ?? 0;
    expect(() => lockDataDir(dir)).toThrow(new DataDirLockedError(dir, pid));
    expect(writtenUnderOsLock(readFileSync(join(dir, 'stacktray.lock'), 'utf8'))).toBe(true);
    server.child.kill('SIGKILL');
    await server.exited;
    // Killed: its lock file is left behind. Say its pid went to a live process the start time cannot
    // tell apart (no start time where the OS has no /proc): the free OS lock still says the owner is gone.
    writeFileSync(join(dir, 'stacktray.lock'), JSON.stringify({ pid: process.ppid, started: null, osLock: true }));
    const lock = lockDataDir(dir);
    expect(parseLockOwner(readFileSync(join(dir, 'stacktray.lock'), 'utf8'))?.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, 'stacktray.lock'))).toBe(false);
  });

  it('takes over a lock written under the OS lock whose pid is now a live process, on any OS', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stacktray.lock'), JSON.stringify({ pid: process.ppid, started: processStarted(process.ppid), osLock: true }));
    const lock = lockDataDir(dir);
    expect(parseLockOwner(readFileSync(join(dir, 'stacktray.lock'), 'utf8'))?.pid).toBe(process.pid);
    lock.release();
    // Released: the next owner gets the OS lock too.
    const next = lockDataDir(dir);
    expect(writtenUnderOsLock(readFileSync(join(dir, 'stacktray.lock'), 'utf8'))).toBe(true);
    next.release();
  });
});
