/**
 * Merging several issues into one and splitting an issue by fingerprint hash. Counts, first/last
 * seen, releases, users, tags and hourly counts follow the events; the hash cache is cleared so
 * new events go where the hashes now point.
 */
import type { Db } from './db';
import type { SentryEvent } from '../../shared/event';
import type { GroupingResult } from '../../shared/grouping';
import type { IssueHashCache } from './issue-hash-cache';
import { decodePayload } from './payload-codec';
import { resolveAutoIp } from './auto-ip';
import { aggregatedTags, userKey } from '../pipeline/event-aggregates';

export interface MergeDeps {
  normalizeStored: (payloadJson: string, received: number, eventId: string) => SentryEvent;
  group: (event: SentryEvent, projectId: number) => GroupingResult;
}

export class MergeError extends Error {
  override readonly name = 'MergeError';
  constructor(readonly status: 400 | 404 | 409, message: string) {
    super(message);
  }
}

interface IssueHead {
  id: number;
  project_id: number;
  first_seen: number;
  count: number;
}

/** The columns an event is normalized again from. */
interface StoredRow {
  event_id: string;
  received: number;
  payload: Buffer;
  user_ip: string | null;
}

const HOUR = 3600;

export class IssueMerger {
  constructor(private readonly db: Db, private readonly hashes: IssueHashCache, private readonly deps: MergeDeps) {}

  /** Merges `ids` into the one seen first; returns the surviving issue's id. */
  merge(ids: number[]): number {
    const unique = [...new Set(ids)];
    if (unique.length < 2) throw new MergeError(400, 'merging needs at least two different issues');
    return this.db.transaction(() => {
      const heads = unique.map((id) => {
        const head = this.db.prepare<[number], IssueHead>('SELECT id, project_id, first_seen, count FROM issues WHERE id = ?').get(id);
        if (!head) throw new MergeError(404, `issue ${id} does not exist`);
        return head;
      });
      if (new Set(heads.map((head) => head.project_id)).size > 1) throw new MergeError(409, 'issues of different projects cannot be merged');
      heads.sort((a, b) => a.first_seen - b.first_seen || a.id - b.id);
      const [target, ...others] = heads as [IssueHead, ...IssueHead[]];
      for (const other of others) this.moveAll(other.id, target.id);
      this.db
        .prepare(
          `UPDATE issues SET
             count = count + @moved,
             first_seen = (SELECT min(first_seen) FROM issues WHERE id IN (SELECT value FROM json_each(@all))),
             last_seen = (SELECT max(last_seen) FROM issues WHERE id IN (SELECT value FROM json_each(@all))),
             first_release = coalesce((SELECT first_release FROM issues WHERE id IN (SELECT value FROM json_each(@all)) AND first_release IS NOT NULL ORDER BY first_seen LIMIT 1), first_release),
             last_release = coalesce((SELECT last_release FROM issues WHERE id IN (SELECT value FROM json_each(@all)) AND last_release IS NOT NULL ORDER BY last_seen DESC LIMIT 1), last_release),
             user_count = (SELECT count(*) FROM issue_users WHERE issue_id = @id)
           WHERE id = @id`,
        )
        .run({ id: target.id, moved: others.reduce((sum, other) => sum + other.count, 0), all: JSON.stringify(heads.map((head) => head.id)) });
      for (const other of others) this.db.prepare('DELETE FROM issues WHERE id = ?').run(other.id);
      this.hashes.clear();
      return target.id;
    })();
  }

  /** Moves the events and hashes in `hashes` out of `issueId` into a new issue; returns its id. */
  unmerge(issueId: number, hashes: string[]): number {
    return this.db.transaction(() => {
      const head = this.db.prepare<[number], IssueHead>('SELECT id, project_id, first_seen, count FROM issues WHERE id = ?').get(issueId);
      if (!head) throw new MergeError(404, `issue ${issueId} does not exist`);
      const owned = new Set(
        this.db.prepare<[number], { hash: string }>('SELECT hash FROM issue_hashes WHERE issue_id = ?').all(issueId).map((row) => row.hash),
      );
      const moving = [...new Set(hashes)];
      const foreign = moving.find((hash) => !owned.has(hash));
      if (foreign !== undefined) throw new MergeError(400, `hash ${foreign} does not belong to issue ${issueId}`);
      if (moving.length === 0 || moving.length >= owned.size) throw new MergeError(400, 'unmerge needs some, but not all, of the issue\'s hashes');

      const events = this.db
        .prepare<[number, string], StoredRow & { id: number }>(
          `SELECT id, event_id, received, payload, user_ip FROM events WHERE issue_id = ? AND hash IN (SELECT value FROM json_each(?)) ORDER BY id`,
        )
        .all(issueId, JSON.stringify(moving));
      const normalized = events.map((row) => ({ row, event: this.normalizeRow(row) }));
      const latest = normalized[normalized.length - 1];
      const grouping = latest ? this.deps.group(latest.event, head.project_id) : undefined;
      const timestamps = normalized.map(({ event }) => event.timestamp);
      const releases = normalized.map(({ event }) => event.release).filter((release): release is string => Boolean(release));
      const created = this.db
        .prepare(
          `INSERT INTO issues (project_id, title, culprit, message, level, platform, metadata, count, first_seen, last_seen, first_release, last_release, is_regression)
           SELECT project_id, ?, ?, message, ?, platform, ?, ?, ?, ?, ?, ?, 0 FROM issues WHERE id = ?`,
        )
        .run(
          grouping?.title ?? 'Unmerged issue', grouping?.culprit ?? '', latest?.event.level ?? 'error', JSON.stringify(grouping?.metadata ?? {}),
          events.length, timestamps.length ? Math.min(...timestamps) : head.first_seen, timestamps.length ? Math.max(...timestamps) : head.first_seen,
          releases[0] ?? null, releases[releases.length - 1] ?? null, issueId,
        );
      const newId = Number(created.lastInsertRowid);
      this.db.prepare('UPDATE issue_hashes SET issue_id = ? WHERE issue_id = ? AND hash IN (SELECT value FROM json_each(?))').run(newId, issueId, JSON.stringify(moving));
      const moveEvent = this.db.prepare('UPDATE events SET issue_id = ? WHERE id = ?');
      const addTag = this.db.prepare(
        `INSERT INTO issue_tags (issue_id, key, value, count) VALUES (?, ?, ?, 1)
         ON CONFLICT (issue_id, key, value) DO UPDATE SET count = count + 1`,
      );
      const dropTag = this.db.prepare('UPDATE issue_tags SET count = count - 1 WHERE issue_id = ? AND key = ? AND value = ?');
      const addHour = this.db.prepare(
        `INSERT INTO issue_hourly (issue_id, hour, count) VALUES (?, ?, 1)
         ON CONFLICT (issue_id, hour) DO UPDATE SET count = count + 1`,
      );
      const dropHour = this.db.prepare('UPDATE issue_hourly SET count = count - 1 WHERE issue_id = ? AND hour = ?');
      const addUser = this.db.prepare('INSERT OR IGNORE INTO issue_users (issue_id, user_key) VALUES (?, ?)');
      for (const { row, event } of normalized) {
        moveEvent.run(newId, row.id);
        for (const [key, value] of aggregatedTags(event)) {
          addTag.run(newId, key, value);
          dropTag.run(issueId, key, value);
        }
        const hour = Math.floor(row.received / HOUR);
        addHour.run(newId, hour);
        dropHour.run(issueId, hour);
        const user = userKey(event);
        if (user !== null) addUser.run(newId, user);
      }
      this.db.prepare('DELETE FROM issue_tags WHERE issue_id = ? AND count <= 0').run(issueId);
      this.db.prepare('DELETE FROM issue_hourly WHERE issue_id = ? AND count <= 0').run(issueId);
      this.db.prepare('UPDATE issues SET user_count = (SELECT count(*) FROM issue_users WHERE issue_id = ?) WHERE id = ?').run(newId, newId);
      this.db
        .prepare(
          `UPDATE issues SET count = max(count - ?, 0),
             first_seen = coalesce((SELECT min(timestamp) FROM events WHERE issue_id = ?), first_seen),
             last_seen = coalesce((SELECT max(timestamp) FROM events WHERE issue_id = ?), last_seen)
           WHERE id = ?`,
        )
        .run(events.length, issueId, issueId, issueId);
      this.describeFromLatestEvent(issueId, head.project_id);
      this.hashes.clear();
      return newId;
    })();
  }

  /** After events left an issue, its title and last release come from its latest remaining event. */
  private describeFromLatestEvent(issueId: number, projectId: number): void {
    const latest = this.db
      .prepare<[number], StoredRow & { release: string | null }>(
        'SELECT event_id, received, payload, user_ip, release FROM events WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1',
      )
      .get(issueId);
    if (!latest) return;
    const event = this.normalizeRow(latest);
    const grouping = this.deps.group(event, projectId);
    this.db
      .prepare('UPDATE issues SET title = ?, culprit = ?, metadata = ?, level = ?, last_release = coalesce(?, last_release) WHERE id = ?')
      .run(grouping.title, grouping.culprit, JSON.stringify(grouping.metadata), event.level, latest.release, issueId);
  }

  private normalizeRow(row: StoredRow): SentryEvent {
    return this.deps.normalizeStored(resolveAutoIp(decodePayload(row.payload), row.user_ip), row.received, row.event_id);
  }

  private moveAll(from: number, to: number): void {
    const params = { from, to };
    this.db.prepare('UPDATE issue_hashes SET issue_id = @to WHERE issue_id = @from').run(params);
    this.db.prepare('UPDATE events SET issue_id = @to WHERE issue_id = @from').run(params);
    this.db.prepare('INSERT OR IGNORE INTO issue_users (issue_id, user_key) SELECT @to, user_key FROM issue_users WHERE issue_id = @from').run(params);
    this.db
      .prepare(
        `INSERT INTO issue_tags (issue_id, key, value, count) SELECT @to, key, value, count FROM issue_tags WHERE issue_id = @from
         ON CONFLICT (issue_id, key, value) DO UPDATE SET count = count + excluded.count`,
      )
      .run(params);
    this.db
      .prepare(
        `INSERT INTO issue_hourly (issue_id, hour, count) SELECT @to, hour, count FROM issue_hourly WHERE issue_id = @from
         ON CONFLICT (issue_id, hour) DO UPDATE SET count = count + excluded.count`,
      )
      .run(params);
  }
}
