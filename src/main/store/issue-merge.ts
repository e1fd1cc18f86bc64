/**
 * Merging several issues into one and splitting an issue by fingerprint hash. Counts, first/last
 * seen, releases, users, tags and hourly counts follow the events; the hash cache is cleared so
 * new events go where the hashes now point.
 */
import type { Db } from './db';
import type { SentryEvent } from '../../shared/event';
import type { FingerprintDeps } from './issue-fingerprints';
import type { IssueHashCache } from './issue-hash-cache';
import { normalizeStoredRow, type StoredEventRow } from './stored-event-row';
import { referenceReader } from './payload-references';
import type { ReferenceData } from './payload-codec';
import { aggregatedTags, issueSearchText, userKey } from '../pipeline/event-aggregates';
import { hourBucket } from './hour-bucket';

export type MergeDeps = FingerprintDeps;

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


export class IssueMerger {
  private readonly referenceData: ReferenceData;

  constructor(private readonly db: Db, private readonly hashes: IssueHashCache, private readonly deps: MergeDeps) {
    this.referenceData = referenceReader(db);
  }

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

  /**
   * Moves the events grouped under `hashes` (their primary hash, see issue-fingerprints) and those
   * hashes out of `issueId` into a new issue; returns its id. Both sides must keep events.
   */
  unmerge(issueId: number, hashes: string[]): number {
    return this.db.transaction(() => {
      const head = this.db.prepare<[number], IssueHead>('SELECT id, project_id, first_seen, count FROM issues WHERE id = ?').get(issueId);
      if (!head) throw new MergeError(404, `issue ${issueId} does not exist`);
      const owned = new Set(
        this.db.prepare<[number], { hash: string }>('SELECT hash FROM issue_hashes WHERE issue_id = ?').all(issueId).map((row) => row.hash),
      );
      const moving = [...new Set(hashes)];
      const foreign = moving.find((hash) => !owned.has(hash));
      if (foreign !== undefined) throw new MergeError(400, `fingerprint ${foreign} does not belong to issue ${issueId}`);
      const movingJson = JSON.stringify(moving);
      // Both sides must keep events: checked on counts before any payload is read.
      const sides = this.db
        .prepare<[{ moving: string; id: number }], { moving: number; staying: number }>(
          `SELECT count(*) FILTER (WHERE hash IN (SELECT value FROM json_each(@moving))) AS moving,
                  count(*) FILTER (WHERE hash NOT IN (SELECT value FROM json_each(@moving))) AS staying
           FROM events WHERE issue_id = @id`,
        )
        .get({ moving: movingJson, id: issueId });
      if (!sides || sides.moving === 0) throw new MergeError(400, 'those fingerprints hold no events of this issue');
      if (sides.staying === 0) throw new MergeError(400, 'unmerging every fingerprint would leave this issue empty');
      const events = this.db
        .prepare<[number, string], StoredEventRow & { id: number; timestamp: number }>(
          `SELECT id, event_id, received, timestamp, payload, user_ip FROM events
           WHERE issue_id = ? AND hash IN (SELECT value FROM json_each(?)) ORDER BY timestamp, id`,
        )
        .all(issueId, movingJson);

      const normalized = events.map((row) => ({ row, event: this.normalizeRow(row) }));
      const newId = this.createSplitIssue(head, normalized);
      this.db.prepare('UPDATE issue_hashes SET issue_id = ? WHERE issue_id = ? AND hash IN (SELECT value FROM json_each(?))').run(newId, issueId, movingJson);
      const movedUsers = this.moveEvents(issueId, newId, normalized);
      this.dropDepartedUsers(issueId, movedUsers);
      this.db
        .prepare(
          `UPDATE issues SET count = max(count - @moved, 0),
             first_seen = coalesce((SELECT min(timestamp) FROM events WHERE issue_id = @id), first_seen),
             last_seen = coalesce((SELECT max(timestamp) FROM events WHERE issue_id = @id), last_seen),
             first_release = (SELECT release FROM events WHERE issue_id = @id AND release IS NOT NULL ORDER BY timestamp, id LIMIT 1),
             last_release = (SELECT release FROM events WHERE issue_id = @id AND release IS NOT NULL ORDER BY timestamp DESC, id DESC LIMIT 1),
             user_count = (SELECT count(*) FROM issue_users WHERE issue_id = @id)
           WHERE id = @id`,
        )
        .run({ id: issueId, moved: events.length });
      this.describeFromLatestEvent(issueId, head.project_id);
      this.hashes.clear();
      return newId;
    })();
  }

  /** The new issue, described by its latest event; counts and seen times are those of the moving events. */
  private createSplitIssue(head: IssueHead, moving: { row: { timestamp: number }; event: SentryEvent }[]): number {
    const latest = moving[moving.length - 1];
    if (!latest) throw new Error('a split issue needs events');
    const grouping = this.deps.group(latest.event, head.project_id);
    const releases = moving.map(({ event }) => event.release).filter((release): release is string => Boolean(release));
    const created = this.db
      .prepare(
        `INSERT INTO issues (project_id, title, culprit, message, level, platform, metadata, count, first_seen, last_seen, first_release, last_release, is_regression)
         SELECT project_id, ?, ?, ?, ?, platform, ?, ?, ?, ?, ?, ?, 0 FROM issues WHERE id = ?`,
      )
      .run(
        grouping.title, grouping.culprit, issueSearchText(latest.event), latest.event.level, JSON.stringify(grouping.metadata), moving.length,
        moving[0]?.row.timestamp ?? latest.row.timestamp, latest.row.timestamp, releases[0] ?? null, releases[releases.length - 1] ?? null, head.id,
      );
    return Number(created.lastInsertRowid);
  }

  /** Moves the events with their tag, hourly and user aggregates; returns the user keys they carried. */
  private moveEvents(from: number, to: number, moving: { row: StoredEventRow & { id: number; timestamp: number }; event: SentryEvent }[]): Set<string> {
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
    const users = new Set<string>();
    for (const { row, event } of moving) {
      moveEvent.run(to, row.id);
      for (const [key, value] of aggregatedTags(event)) {
        addTag.run(to, key, value);
        dropTag.run(from, key, value);
      }
      const hour = hourBucket(row.timestamp);
      addHour.run(to, hour);
      dropHour.run(from, hour);
      const user = userKey(event);
      if (user !== null) {
        addUser.run(to, user);
        users.add(user);
      }
    }
    this.db.prepare('DELETE FROM issue_tags WHERE issue_id = ? AND count <= 0').run(from);
    this.db.prepare('DELETE FROM issue_hourly WHERE issue_id = ? AND count <= 0').run(from);
    this.db.prepare('UPDATE issues SET user_count = (SELECT count(*) FROM issue_users WHERE issue_id = ?) WHERE id = ?').run(to, to);
    return users;
  }

  /**
   * issue_users keeps no counts: a user the moved events named stays on the issue only if one of
   * its remaining events names them too. Newest first, stopping once every such user is found.
   */
  private dropDepartedUsers(issueId: number, movedUsers: Set<string>): void {
    const unconfirmed = new Set(movedUsers);
    if (unconfirmed.size === 0) return;
    const remaining = this.db.prepare<[number], StoredEventRow>(
      'SELECT event_id, received, payload, user_ip FROM events WHERE issue_id = ? ORDER BY id DESC',
    );
    for (const row of remaining.iterate(issueId)) {
      const user = userKey(this.normalizeRow(row));
      if (user !== null) unconfirmed.delete(user);
      if (unconfirmed.size === 0) break;
    }
    const drop = this.db.prepare('DELETE FROM issue_users WHERE issue_id = ? AND user_key = ?');
    for (const user of unconfirmed) drop.run(issueId, user);
  }

  /** After events left an issue, its title, culprit, search text and level come from its latest remaining event. */
  private describeFromLatestEvent(issueId: number, projectId: number): void {
    const latest = this.db
      .prepare<[number], StoredEventRow>('SELECT event_id, received, payload, user_ip FROM events WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1')
      .get(issueId);
    if (!latest) return;
    const event = this.normalizeRow(latest);
    const grouping = this.deps.group(event, projectId);
    this.db
      .prepare('UPDATE issues SET title = ?, culprit = ?, message = ?, metadata = ?, level = ? WHERE id = ?')
      .run(grouping.title, grouping.culprit, issueSearchText(event), JSON.stringify(grouping.metadata), event.level, issueId);
  }

  private normalizeRow(row: StoredEventRow): SentryEvent {
    return normalizeStoredRow(this.deps.normalizeStored, row, this.referenceData);
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
