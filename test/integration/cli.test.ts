import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli-process';
import { tempDataDir } from '../support/core-harness';

/**
 * The CLI prints its address before it installs its SIGTERM handler (in the same turn of its
 * event loop): a signal sent the moment the line shows may find the default handler. Once it
 * answers a request, that turn is over and a SIGTERM stops it cleanly.
 */
async function untilServing(url: string): Promise<void> {
  expect((await fetch(`${url}/api/info`)).status).toBe(200);
}

describe('headless server (npm start)', () => {
  it('prints the address and the default project DSN, and stops cleanly on SIGINT', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    const port = new URL(server.url).port;
    expect(server.output()).toMatch(new RegExp(`DSN for project "default" \\(1\\): http://[0-9a-f]{32}@127\\.0\\.0\\.1:${port}/1`));
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { dataDir: string; port: number };
    expect(info).toMatchObject({ dataDir, port: Number(port) });
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Stopping (SIGINT)');
  });

  it('a second process on the same data folder exits with a clear message', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    try {
      const second = runCli(['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off']);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`${dataDir} is in use by another Stacktray process (pid ${server.child.pid})`);
      // On the first one's port too, the folder's owner is named (the port's owner is the same process).
      const samePort = runCli(['--port', new URL(server.url).port, '--data-dir', dataDir, '--otlp-port', 'off']);
      expect(await samePort.exited).toBe(1);
      expect(samePort.output()).toContain(`${dataDir} is in use by another Stacktray process (pid ${server.child.pid})`);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  /** Starts a server on `dataDir` and kills it with SIGKILL, which leaves its lock file behind. */
  async function killLeavingLock(dataDir: string) {
    const lockFile = join(dataDir, 'stacktray.lock');
    const killed = await startCli(dataDir);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBeNull();
    const left = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; started: string };
    return { lockFile, killed, left };
  }

  it('a lock left by a killed process does not block the restart', async () => {
    const dataDir = tempDataDir();
    const { lockFile, killed, left } = await killLeavingLock(dataDir);
    expect(left.pid).toBe(killed.child.pid);

    const restarted = await startCli(dataDir);
    await untilServing(restarted.url);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  // The start-time check (from /proc) on its own; the OS lock covers every OS (test/unit/core/data-dir-lock.test.ts).
  it.skipIf(!existsSync('/proc/self/stat'))('a stale lock whose pid a live process reused does not block the start', async () => {
    const dataDir = tempDataDir();
    const { lockFile, left } = await killLeavingLock(dataDir);
    expect(left.started).toMatch(/^[0-9a-f-]+:\d+$/);

    // The killed owner's pid now taken by a live process (this one): it started at another time.
    // (Written as a Stacktray before the OS lock would, so only the start time can tell.)
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, started: left.started }));
    const server = await startCli(dataDir);
    await untilServing(server.url);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('explains a port that is taken and bad flags', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    try {
      const port = new URL(server.url).port;
      const emptyDir = tempDataDir();
      const clash = runCli(['--port', port, '--data-dir', emptyDir, '--otlp-port', 'off']);
      expect(await clash.exited).toBe(1);
      expect(clash.output()).toContain(`port ${port} is already in use`);
      // Checked before anything is created: no database, lock or settings left in the folder.
      expect(readdirSync(emptyDir)).toEqual([]);
      const newDir = join(tempDataDir(), 'not-yet');
      const clashNew = runCli(['--port', port, '--data-dir', newDir, '--otlp-port', 'off']);
      expect(await clashNew.exited).toBe(1);
      expect(existsSync(newDir)).toBe(false);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const bad = runCli(['--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--port needs a port number between 0 and 65535, got "eighty"');
  });
});
