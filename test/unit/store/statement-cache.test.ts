import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache } from '../../../src/main/store/statement-cache';

describe('prepared statements kept by their text', () => {
  it('prepares a text once, and keeps the 64 most recently used texts', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    db.prepare('INSERT INTO t (v) VALUES (?), (?), (?)').run('a', 'b', 'c');
    const cache = new StatementCache(db);
    const inList = (n: number) => `SELECT v FROM t WHERE id IN (${Array.from({ length: n }, () => '?').join(',')}) ORDER BY id`;

    const first = cache.get<number[], { v: string }>(inList(2));
    expect(first.all(1, 3)).toEqual([{ v: 'a' }, { v: 'c' }]);
    expect(cache.get(inList(2))).toBe(first);
    expect(cache.get(inList(1))).not.toBe(first);

    // 64 other texts used since: the first was dropped, and is prepared again when asked for.
    for (let n = 3; n <= 66; n++) cache.get(inList(n));
    const again = cache.get<number[], { v: string }>(inList(2));
    expect(again).not.toBe(first);
    expect(again.all(2, 3)).toEqual([{ v: 'b' }, { v: 'c' }]);
    // A text used recently stays.
    expect(cache.get(inList(66))).toBe(cache.get(inList(66)));
    db.close();
  });
});
