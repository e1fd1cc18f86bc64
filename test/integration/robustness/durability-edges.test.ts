/**
 * The headless CLI (out/main/cli.js) on databases it cannot simply use: written by a newer
 * Stacktray, corrupt, on a full disk, or read-only. It says why, never overwrites data, and an
 * ingest it cannot store answers 503 with the reason while the process keeps serving.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProjectList } from '../../../src/shared/api';
import { launchCli, runCli, startCli, type CliServer } from '../../support/cli-process';
import { buildEnvelope, errorEvent, randomHex, tempDataDir } from '../../support/core-harness';
import { countsMatchStoredEvents, storeFacts } from './store-facts';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openStore } from '../../../src/main/store';

const DB = 'stacktray.db';

async function stopCli(server: CliServer): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

async function ingestTarget(url: string): Promise<string> {
  const { projects } = (await (await fetch(`${url}/api/projects`)).json()) as ProjectList;
  const project = projects[0];
  if (!project) throw new Error('no default project');
  return `${url}/api/${project.id}/envelope/?sentry_key=${project.publicKey}`;
}

interface SendAnswer {
  status: number;
  body: unknown;
  eventId: string;
  /** The Retry-After header, or null. */
  retryAfter: string | null;
}

async function sendEvent(target: string, extra: Record<string, unknown> = {}): Promise<SendAnswer> {
  const eventId = randomHex();
  const response = await fetch(target, {
    method: 'POST',
    body: buildEnvelope({}, [{ header: { type: 'event' }, payload: { ...errorEvent({ eventId, fn: 'durable' }), extra } }]),
  });
  return { status: response.status, body: await response.json(), eventId, retryAfter: response.headers.get('retry-after') };
}

/** A refusal that came with a Retry-After of 1 to `atMost` seconds. */
function expectRefusedFor(answer: SendAnswer, detail: string | RegExp, atMost: number): void {
  expect(answer).toMatchObject({ status: 503, body: { detail } });
  const seconds = Number(answer.retryAfter);
  expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= atMost, `Retry-After ${answer.retryAfter}`).toBe(true);
}

/** A data folder holding a real database with `events` stored events (the CLI made it and stopped). */
async function seededDataDir(events: number): Promise<string> {
  const dataDir = tempDataDir('stacktray-edges-');
  const server = await startCli(dataDir);
  const target = await ingestTarget(server.url);
  for (let n = 0; n < events; n++) expect((await sendEvent(target)).status).toBe(200);
  expect(await stopCli(server)).toBe(0);
  return dataDir;
}

describe('a database from a newer Stacktray', () => {
  it('is refused with a clear message and left untouched', async () => {
    const dataDir = await seededDataDir(3);
    const db = new Database(join(dataDir, DB));
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(join(dataDir, DB));

    const run = runCli(['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`stacktray: the database was written by a newer Stacktray (schema 99, this version knows ${MIGRATIONS.length}); upgrade Stacktray or use another data folder`);
    expect(readFileSync(join(dataDir, DB)).equals(before)).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.includes('corrupt'))).toEqual([]);
  }, 30_000);
});

describe('an older database', () => {
  it('(schema 0: an empty SQLite file) is migrated to the current schema and used', async () => {
    const dataDir = tempDataDir('stacktray-edges-');
    const db = new Database(join(dataDir, DB));
    db.pragma('journal_mode = DELETE');
    db.close();
    const server = await startCli(dataDir);
    try {
      expect((await sendEvent(await ingestTarget(server.url))).status).toBe(200);
    } finally {
      expect(await stopCli(server)).toBe(0);
    }
    const migrated = new Database(join(dataDir, DB), { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    migrated.close();
    expect(storeFacts(dataDir)).toMatchObject({ events: 1, countedEvents: 1 });
  }, 30_000);
});

describe('a corrupt database', () => {
  async function expectMovedAside(dataDir: string, original: Buffer): Promise<void> {
    const server = await startCli(dataDir);
    try {
      const moved = readdirSync(dataDir).filter((name) => /^stacktray\.db\.corrupt-[\dTZ-]+$/.test(name));
      expect(moved).toHaveLength(1);
      const movedPath = join(dataDir, moved[0] ?? '');
      expect(readFileSync(movedPath).equals(original)).toBe(true);
      // Logged by the server's logger, whose writes may reach the pipe after the start-up text.
      await outputContaining(server, `the database was corrupt and was moved aside to ${movedPath}; a new one was started`);
      // The fresh database takes events.
      const target = await ingestTarget(server.url);
      expect((await sendEvent(target)).status).toBe(200);
    } finally {
      expect(await stopCli(server)).toBe(0);
    }
    expect(storeFacts(dataDir)).toMatchObject({ events: 1, countedEvents: 1 });
  }

  it('that is not a database at all is moved aside with its bytes, and a new one started', async () => {
    const dataDir = tempDataDir('stacktray-edges-');
    const garbage = Buffer.concat([Buffer.from('this is not sqlite\n'), Buffer.alloc(8192, 0xa5)]);
    writeFileSync(join(dataDir, DB), garbage);
    await expectMovedAside(dataDir, garbage);
  }, 30_000);

  it('after a killed run, is integrity-checked at the next start and moved aside when damaged anywhere', async () => {
    const dataDir = await seededDataDir(40);
    const killed = await startCli(dataDir);
    expect((await sendEvent(await ingestTarget(killed.url))).status).toBe(200);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBeNull();
    expect(existsSync(join(dataDir, `${DB}.open`))).toBe(true);
    expect(existsSync(join(dataDir, `${DB}-wal`))).toBe(true);
    // Fold the WAL in (as recovery would) so that the damage below lands on the pages in use.
    const folded = new Database(join(dataDir, DB));
    folded.pragma('wal_checkpoint(TRUNCATE)');
    // One page in the middle of the events' pages (where their payloads are), not the file's middle:
    // a group's events are stored small against its reference payload, so that can be a free page.
    const pages = folded.prepare<[], number>("SELECT pageno FROM dbstat WHERE name = 'events' ORDER BY pageno").pluck().all();
    folded.close();
    const file = join(dataDir, DB);
    const bytes = readFileSync(file);
    const middle = ((pages[Math.floor(pages.length / 2)] ?? 0) - 1) * 4096;
    expect(middle).toBeGreaterThan(0);
    bytes.fill(0x5a, middle + 8, middle + 400);
    writeFileSync(file, bytes);
    await expectMovedAside(dataDir, bytes);
  }, 30_000);

  it('a start after a clean stop skips the full check; after a killed run it runs it', async () => {
    const dataDir = await seededDataDir(3);
    const clean = openStore(join(dataDir, DB), () => 'http://127.0.0.1:1');
    expect(clean.openReport).toEqual({ uncleanShutdown: false, integrityChecked: false });
    clean.close();

    const killed = await startCli(dataDir);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBeNull();
    const afterKill = openStore(join(dataDir, DB), () => 'http://127.0.0.1:1');
    expect(afterKill.openReport).toEqual({ uncleanShutdown: true, integrityChecked: true });
    expect(afterKill.movedAsideTo).toBeNull();
    expect(afterKill.events.count()).toBe(3);
    afterKill.close();
  }, 30_000);

  it('whose pages were damaged is moved aside with its bytes, never overwritten', async () => {
    const dataDir = await seededDataDir(40);
    const file = join(dataDir, DB);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(8 * 4096);
    // Scribble over every page after the first two (the b-tree pages of the tables).
    for (let offset = 2 * 4096; offset < bytes.length; offset += 4096) bytes.fill(0x5a, offset + 8, offset + 200);
    writeFileSync(file, bytes);
    await expectMovedAside(dataDir, bytes);
  }, 30_000);
});

describe('storage that cannot take writes', () => {
  // The file-size limit (RLIMIT_FSIZE) makes the kernel refuse writes past a size with EFBIG:
  // to SQLite the same as a full disk (its write fails; nothing partial is committed). Tests run
  // as root, where a full tmpfs would need mount rights; prlimit works for any user.
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => existsSync(path));

  it.skipIf(!prlimit)('a full disk: ingest answers 503 with the reason and stays refused until space is freed, reads keep working, nothing acknowledged is lost', async () => {
    const dataDir = tempDataDir('stacktray-edges-');
    // A soft limit only: raising it again on the running process (space freed) needs no privilege.
    const server = await launchCli(dataDir, { wrapper: [prlimit ?? '', `--fsize=${2 * 1024 * 1024}:unlimited`] });
    const acknowledged: string[] = [];
    let refusal: SendAnswer | undefined;
    // EFBIG reaches SQLite as a failed write (SQLITE_IOERR_WRITE); ENOSPC would be SQLITE_FULL.
    const detail = /^storage unavailable: the (disk or database is full|database cannot be written \(SQLITE_IOERR_WRITE\))$/;
    try {
      const target = await ingestTarget(server.url);
      // 20 KB of random bytes (as hex) per event: the WAL reaches the 2 MB cap within ~100 events.
      for (let n = 0; n < 400 && !refusal; n++) {
        const answer = await sendEvent(target, { blob: randomBlob(40 * 1024) });
        if (answer.status === 200) acknowledged.push(answer.eventId);
        else refusal = answer;
      }
      if (!refusal) throw new Error('400 events of 40 KB fitted under a 3 MB file-size limit');
      expect(refusal).toMatchObject({ status: 503, body: { detail }, retryAfter: '10' });
      expect(acknowledged.length).toBeGreaterThan(10);
      // Still serving: reads answer, and further ingest is refused the same way, with no new try
      // at writing (which a checkpoint that just freed WAL pages could let through) until the wait is over.
      expect((await fetch(`${server.url}/api/issues`)).status).toBe(200);
      const again = await sendEvent(target, { blob: randomBlob(40 * 1024) });
      expectRefusedFor(again, (refusal.body as { detail: string }).detail, 10);
      expect(server.child.exitCode).toBeNull();

      // Space freed (the limit lifted on the running process): after the wait, ingest resumes by itself.
      expect(spawnSync(prlimit ?? '', ['--pid', String(server.child.pid), '--fsize=unlimited']).status).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, Number(again.retryAfter) * 1000));
      const resumed = await sendEvent(target);
      expect(resumed.status).toBe(200);
      acknowledged.push(resumed.eventId);
      // The logger writes asynchronously: its line may reach the pipe after the answer it precedes.
      await outputContaining(server, 'storage writable again: ingest resumed');
      expect(server.output().match(/storage unavailable: .*; ingest answers 503 and tries again every 10 s/g)).toHaveLength(1);
      expect(server.output()).not.toContain('ingest request failed');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    // Every acknowledged event is there and the database is intact.
    const restarted = await startCli(dataDir);
    try {
      for (const eventId of acknowledged) expect((await fetch(`${restarted.url}/api/events/${eventId}`)).status).toBe(200);
    } finally {
      expect(await stopCli(restarted)).toBe(0);
    }
    expect(storeFacts(dataDir)).toMatchObject({ events: acknowledged.length, countedEvents: acknowledged.length, undecodablePayloads: 0 });
    expect(countsMatchStoredEvents(dataDir)).toBe(true);
    expect(integrity(dataDir)).toBe('ok');
  }, 90_000);

  // A read-only database file. Root ignores file modes (CAP_DAC_OVERRIDE), so as root the server
  // runs without that capability (setpriv): it stays root, owner of the folder it writes in, and
  // the file's mode says it may only read it. (Running it as `nobody` failed wherever the checkout
  // sat under a folder only root may enter, as `mktemp -d` makes: node could not read the CLI.)
  const root = process.getuid?.() === 0;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
  const readOnlySkip = root && !setpriv ? 'running as root without setpriv (util-linux) to drop CAP_DAC_OVERRIDE' : null;
  if (readOnlySkip) console.log(`skipped "a read-only database": ${readOnlySkip}`);

  it.skipIf(readOnlySkip)('a read-only database: ingest answers 503, reads keep working, the file is unchanged', async () => {
    const dataDir = await seededDataDir(3);
    const file = join(dataDir, DB);
    chmodSync(file, 0o444);
    const before = readFileSync(file);
    const withoutFileModeOverride = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--'];
    const server = await launchCli(dataDir, root && setpriv ? { wrapper: [setpriv, ...withoutFileModeOverride] } : {});
    try {
      const target = await ingestTarget(server.url);
      const refused = await sendEvent(target);
      expect(refused).toMatchObject({ status: 503, body: { detail: 'storage unavailable: the database is read-only' }, retryAfter: '10' });
      // Refused the same way, without another try at writing until the wait is over.
      expectRefusedFor(await sendEvent(target), 'storage unavailable: the database is read-only', 10);
      expect((await (await fetch(`${server.url}/api/issues`)).json()) as unknown).toMatchObject({ issues: [{ count: 3 }] });
      expect(server.child.exitCode).toBeNull();
    } finally {
      expect(await stopCli(server)).toBe(0);
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(server.output().match(/storage unavailable: the database is read-only \(SQLITE_READONLY\); ingest answers 503 and tries again every 10 s/g)).toHaveLength(1);
  }, 60_000);
});

function integrity(dataDir: string): unknown {
  const db = new Database(join(dataDir, DB), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

function randomBlob(bytes: number): string {
  return randomBytes(bytes / 2).toString('hex');
}

/** Resolves once the server has printed `text`; fails if it exits first or stays silent for 15 s. */
async function outputContaining(server: CliServer, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!server.output().includes(text)) {
    if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`the server never printed "${text}":\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
