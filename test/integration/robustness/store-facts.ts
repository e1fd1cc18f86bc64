/** Reads what a data folder's database holds, through a second (read-only) connection, for exact before/after checks. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { decodePayload } from '../../../src/main/store/payload-codec';
import { referenceReader } from '../../../src/main/store/payload-references';

export interface StoreFacts {
  events: number;
  issues: number;
  countedEvents: number;
  attachments: number;
  /** Issues whose stored events exceed their count (a count must never fall behind the payloads). */
  issuesUndercounted: number;
  /** Event rows whose payload does not decode (payload-codec) to a JSON object. */
  undecodablePayloads: number;
  /** Event rows without their issue. */
  orphanEvents: number;
}

export function storeFacts(dataDir: string): StoreFacts {
  const db = new Database(join(dataDir, 'stacktray.db'), { readonly: true, fileMustExist: true });
  try {
    const n = (sql: string): number => Number(Object.values(db.prepare(sql).get() as Record<string, number | null>)[0] ?? 0);
    let undecodable = 0;
    const referenceData = referenceReader(db);
    for (const row of db.prepare('SELECT payload FROM events').iterate() as Iterable<{ payload: Buffer }>) {
      try {
        const parsed: unknown = JSON.parse(decodePayload(row.payload, referenceData));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) undecodable++;
      } catch {
        undecodable++;
      }
    }
    return {
      events: n('SELECT count(*) FROM events'),
      issues: n('SELECT count(*) FROM issues'),
      countedEvents: n('SELECT coalesce(sum(count), 0) FROM issues'),
      attachments: n('SELECT count(*) FROM attachments'),
      issuesUndercounted: n('SELECT count(*) FROM issues i WHERE i.count < (SELECT count(*) FROM events e WHERE e.issue_id = i.id)'),
      undecodablePayloads: undecodable,
      orphanEvents: n('SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM issues i WHERE i.id = e.issue_id)'),
    };
  } finally {
    db.close();
  }
}

/** Every issue's count equals its stored events (true while retention has evicted nothing). */
export function countsMatchStoredEvents(dataDir: string): boolean {
  const db = new Database(join(dataDir, 'stacktray.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare('SELECT count(*) AS n FROM issues i WHERE i.count != (SELECT count(*) FROM events e WHERE e.issue_id = i.id)')
      .get() as { n: number };
    return row.n === 0;
  } finally {
    db.close();
  }
}
