import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store';
import { openMarkerPath } from '../../../src/main/store/open-marker';
import { MIGRATIONS } from '../../../src/main/store/migrations';

let opened: Store[] = [];

function open(file: string): Store {
  const store = openStore(file, () => 'http://127.0.0.1:8969');
  opened.push(store);
  return store;
}

afterEach(() => {
  for (const store of opened) store.close();
  opened = [];
});

function tempDbFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'stacktray-open-')), 'stacktray.db');
}

/** A store holding `projects` projects (a few pages of rows), closed cleanly. */
function seeded(projects: number): string {
  const file = tempDbFile();
  const store = open(file);
  for (let n = 0; n < projects; n++) store.projects.create(`project ${n} ${'x'.repeat(200)}`);
  store.close();
  return file;
}

/** Ends the connection as a killed process would: the open marker stays behind. */
function crash(store: Store): void {
  store.db.close();
}

/**
 * Overwrites the cell pointers of the next-to-last page: the projects table's rows fill the last
 * pages of a seeded file, so this is a leaf in the middle of that table, off its first and last row.
 */
function damageDeepLeaf(file: string): Buffer {
  const bytes = readFileSync(file);
  const pageSize = 4096;
  const page = bytes.length - 2 * pageSize;
  bytes.fill(0x5a, page + 8, page + 400);
  writeFileSync(file, bytes);
  return bytes;
}

function movedAsideFiles(file: string): string[] {
  const dir = join(file, '..');
  return readdirSync(dir).filter((name) => name.startsWith('stacktray.db.corrupt-'));
}

describe('opening the database', () => {
  it('skips the integrity check after a clean close and leaves no open marker behind', () => {
    const file = tempDbFile();
    const first = open(file);
    expect(first.openReport).toEqual({ uncleanShutdown: false, integrityChecked: false });
    expect(existsSync(openMarkerPath(file))).toBe(true);
    first.projects.create('kept');
    first.close();
    expect(existsSync(openMarkerPath(file))).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(false);

    const second = open(file);
    expect(second.openReport).toEqual({ uncleanShutdown: false, integrityChecked: false });
    expect(second.projects.list().map((project) => project.name)).toEqual(['kept']);
  });

  it('checks the database when the previous run left its open marker', () => {
    const file = tempDbFile();
    const first = open(file);
    first.projects.create('kept');
    crash(first);
    expect(existsSync(openMarkerPath(file))).toBe(true);

    const second = open(file);
    expect(second.openReport).toEqual({ uncleanShutdown: true, integrityChecked: true });
    expect(second.movedAsideTo).toBeNull();
    expect(second.projects.list().map((project) => project.name)).toEqual(['kept']);
    second.close();
    expect(open(file).openReport).toEqual({ uncleanShutdown: false, integrityChecked: false });
  });

  it('checks the database when a killed process left its WAL (no marker: e.g. written by an older Stacktray)', () => {
    const file = seeded(1);
    // A real process writes in WAL mode and is killed before it closes the database.
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)});
      db.pragma('journal_mode = WAL');
      db.prepare("INSERT INTO meta (key, value) VALUES ('written_before_kill', 'yes')").run();
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['-e', script]);
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(openMarkerPath(file))).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(true);

    const store = open(file);
    expect(store.openReport).toEqual({ uncleanShutdown: true, integrityChecked: true });
    // WAL recovery kept the killed process's commit.
    expect(store.meta('written_before_kill')).toBe('yes');
  });

  it('moves a database damaged by an unclean stop aside, keeping its bytes, and starts a new one', () => {
    const file = seeded(60);
    const store = open(file);
    crash(store);
    const damaged = damageDeepLeaf(file);

    const reopened = open(file);
    expect(reopened.openReport).toEqual({ uncleanShutdown: true, integrityChecked: true });
    expect(reopened.movedAsideTo).toMatch(/stacktray\.db\.corrupt-[\dTZ-]+$/);
    expect(readFileSync(reopened.movedAsideTo ?? '').equals(damaged)).toBe(true);
    expect(movedAsideFiles(file)).toHaveLength(1);
    expect(reopened.projects.list()).toEqual([]);
  });

  it('after a clean close, trusts the file without the full check, yet still moves aside one whose tables are overwritten', () => {
    // Deep damage is not looked for after a clean close: that is the check this skips.
    const deep = seeded(60);
    damageDeepLeaf(deep);
    const trusted = open(deep);
    expect(trusted.openReport).toEqual({ uncleanShutdown: false, integrityChecked: false });
    expect(trusted.movedAsideTo).toBeNull();
    trusted.close();

    // Damage to the table roots is found by the cheap probe at open.
    const file = seeded(60);
    const bytes = readFileSync(file);
    for (let offset = 2 * 4096; offset < bytes.length; offset += 4096) bytes.fill(0x5a, offset + 8, offset + 200);
    writeFileSync(file, bytes);
    const reopened = open(file);
    expect(reopened.openReport).toEqual({ uncleanShutdown: false, integrityChecked: false });
    expect(reopened.movedAsideTo).not.toBeNull();
    expect(readFileSync(reopened.movedAsideTo ?? '').equals(bytes)).toBe(true);
    expect(reopened.projects.list()).toEqual([]);
  });

  it('moves aside a file that is not a database at all, after a clean stop too', () => {
    const file = tempDbFile();
    const garbage = Buffer.concat([Buffer.from('this is not sqlite\n'), Buffer.alloc(8192, 0xa5)]);
    writeFileSync(file, garbage);
    const store = open(file);
    expect(store.openReport.integrityChecked).toBe(false);
    expect(readFileSync(store.movedAsideTo ?? '').equals(garbage)).toBe(true);
    expect(store.projects.list()).toEqual([]);
  });

  it('creates new databases with incremental auto-vacuum, and leaves an existing database in its mode', () => {
    const fresh = open(tempDbFile());
    expect(fresh.db.pragma('auto_vacuum', { simple: true })).toBe(2);

    const legacyFile = tempDbFile();
    const legacy = new Database(legacyFile);
    legacy.exec('CREATE TABLE made_before (x)');
    legacy.close();
    const store = open(legacyFile);
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(0);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});
