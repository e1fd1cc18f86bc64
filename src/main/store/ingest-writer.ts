/**
 * Writes a batch of grouped events in ONE transaction: events, issues (created or counted),
 * lifecycle (regressions), tags, hourly counts, users, attachments and alerts. The caller
 * acknowledges the requests only after `writeBatch` returns, i.e. after the commit.
 */
import type { Db } from './db';
import type { Level, SentryEvent } from '../../shared/event';
import type { GroupingResult } from '../../shared/grouping';
import type { IssueStatus, AlertKind } from '../../shared/issue';
import type { IncomingAttachment } from '../ingest/ingest-sink';
import type { EventSummary } from '../../shared/api';
import { iso } from './issues-repo';
import { applyEvent, type LifecycleState } from '../pipeline/lifecycle';
import { semverOrder, type ReleaseOrder } from '../pipeline/release-order';
import { IssueHashCache } from './issue-hash-cache';
import { hourBucket } from './hour-bucket';
import { referenceBytes } from './payload-codec';
import type { ForwardQueue } from './forward-queue';

/** What the writer needs of a grouping: not the per-variant component trees, which are large. */
export type IssueGrouping = Omit<GroupingResult, 'variants'>;

export interface PreparedEvent {
  projectId: number;
  event: SentryEvent;
  grouping: IssueGrouping;
  /** The raw payload, compressed (see payload-codec). */
  payload: Buffer;
  /**
   * Set when the event's group has no reference payload yet: the payload as JSON, which becomes
   * the group's reference if the event joins an issue that existed before it (payload-references.ts).
   */
  reference?: string | null;
  attachments: IncomingAttachment[];
  userKey: string | null;
  /** Tags to aggregate on the issue (event tags plus level/release/environment). */
  tags: [string, string][];
  /** Text searched by the issue list's free-text query. */
  searchText: string;
}

export interface PreparedBatch {
  events: PreparedEvent[];
  /** Non-event items: project → type → count. */
  otherItems: { projectId: number; counts: Record<string, number> }[];
  looseAttachments: { projectId: number; eventId: string; attachment: IncomingAttachment }[];
  /** Envelopes for projects with an upstream: queued in the same transaction (src/main/forwarding). */
  forwards?: { projectId: number; body: Buffer }[];
}

export type WrittenEvent = EventSummary;

export interface RecordedAlert {
  kind: Exclude<AlertKind, 'summary'>;
  issueId: number;
  projectId: number;
}

export interface BatchOutcome {
  stored: WrittenEvent[];
  duplicates: number;
  createdIssueIds: number[];
  updatedIssueIds: number[];
  alerts: RecordedAlert[];
}

interface IssueTouch {
  state: LifecycleState;
  initialStatus: IssueStatus;
  created: boolean;
  count: number;
  users: number;
  firstSeen: number;
  lastSeen: number;
  firstRelease: string | null;
  lastRelease: string | null;
  latest: PreparedEvent | null;
}

interface IssueStateRow {
  status: IssueStatus;
  resolved_at: number | null;
  resolved_in_next_release: number;
  resolved_in_release: string | null;
  is_regression: number;
}


export class IngestWriter {
  private readonly hashes: IssueHashCache;
  private readonly statements;
  private releaseOrder: ReleaseOrder = semverOrder;

  constructor(
    private readonly db: Db,
    hashes: IssueHashCache,
    private readonly afterCommit: () => void = () => undefined,
    private readonly forwardQueue?: ForwardQueue,
  ) {
    this.hashes = hashes;
    this.statements = {
      releaseFirstSeen: db.prepare<[number, string], { first_seen: number }>(
        'SELECT first_seen FROM releases WHERE project_id = ? AND version = ?',
      ),
      insertRelease: db.prepare('INSERT OR IGNORE INTO releases (project_id, version, first_seen) VALUES (?, ?, ?)'),
      findHash: db.prepare<[number, string], { issue_id: number }>(
        'SELECT issue_id FROM issue_hashes WHERE project_id = ? AND hash = ?',
      ),
      insertHash: db.prepare('INSERT OR IGNORE INTO issue_hashes (project_id, hash, config, issue_id) VALUES (?, ?, ?, ?)'),
      insertIssue: db.prepare(
        `INSERT INTO issues (project_id, title, culprit, message, level, platform, metadata, first_seen, last_seen, first_release, last_release)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      issueState: db.prepare<[number], IssueStateRow>(
        'SELECT status, resolved_at, resolved_in_next_release, resolved_in_release, is_regression FROM issues WHERE id = ?',
      ),
      // Stored, or stored once and evicted by retention: either way the SDK sent it before.
      knownEvent: db.prepare<[number, string, number, string], number>(
        `SELECT EXISTS (SELECT 1 FROM events WHERE project_id = ? AND event_id = ?)
             OR EXISTS (SELECT 1 FROM evicted_events WHERE project_id = ? AND event_id = ?)`,
      ).pluck(),
      insertEvent: db.prepare(
        `INSERT OR IGNORE INTO events (project_id, issue_id, event_id, hash, timestamp, received, release, environment, level, title, payload, user_ip)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertUser: db.prepare('INSERT OR IGNORE INTO issue_users (issue_id, user_key) VALUES (?, ?)'),
      insertAttachment: db.prepare(
        `INSERT INTO attachments (project_id, event_id, filename, content_type, attachment_type, size, data)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateIssue: db.prepare(
        `UPDATE issues SET
           count = count + @count, user_count = user_count + @users,
           first_seen = min(first_seen, @firstSeen), last_seen = max(last_seen, @lastSeen),
           first_release = coalesce(first_release, @firstRelease), last_release = coalesce(@lastRelease, last_release),
           title = @title, culprit = @culprit, message = @message, level = @level, metadata = @metadata,
           status = @status, resolved_at = @resolvedAt, resolved_in_next_release = @resolvedInNextRelease,
           resolved_in_release = @resolvedInRelease, is_regression = @isRegression
         WHERE id = @id`,
      ),
      upsertTag: db.prepare(
        `INSERT INTO issue_tags (issue_id, key, value, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (issue_id, key, value) DO UPDATE SET count = count + excluded.count`,
      ),
      upsertHour: db.prepare(
        `INSERT INTO issue_hourly (issue_id, hour, count) VALUES (?, ?, ?)
         ON CONFLICT (issue_id, hour) DO UPDATE SET count = count + excluded.count`,
      ),
      upsertItemCount: db.prepare(
        `INSERT INTO item_counts (project_id, type, day, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (project_id, type, day) DO UPDATE SET count = count + excluded.count`,
      ),
      insertReference: db.prepare('INSERT OR IGNORE INTO payload_references (project_id, hash, data) VALUES (?, ?, ?)'),
      insertAlert: db.prepare('INSERT INTO alerts (kind, issue_id, project_id, title, at) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /** How releases order for "resolved in the next release" (the core adds the commit graph). */
  useReleaseOrder(order: ReleaseOrder): void {
    this.releaseOrder = order;
  }

  writeBatch(batch: PreparedBatch, now: number): BatchOutcome {
    let outcome: BatchOutcome;
    try {
      outcome = this.db.transaction(() => this.writeInTransaction(batch, now))();
    } catch (error) {
      // The rollback took back the issues this batch created, but not their ids in the cache:
      // kept, they would send the group's next events to a missing issue (or to the next new
      // issue that reuses the row id).
      this.hashes.clear();
      throw error;
    }
    this.afterCommit();
    return outcome;
  }

  private writeInTransaction(batch: PreparedBatch, now: number): BatchOutcome {
    const s = this.statements;
    const touched = new Map<number, IssueTouch>();
    const tagCounts = new Map<string, number>();
    const hourCounts = new Map<string, number>();
    const outcome: BatchOutcome = { stored: [], duplicates: 0, createdIssueIds: [], updatedIssueIds: [], alerts: [] };

    // A batch's events mostly share a release and repeat users: look each up once per batch.
    const releases = new Map<string, number | null>();
    const usersSeen = new Set<string>();
    for (const prepared of batch.events) {
      const { event, grouping, projectId } = prepared;
      // Before grouping: a re-sent event must not register a release or create an (empty) issue.
      if (s.knownEvent.get(projectId, event.event_id, projectId, event.event_id) === 1) {
        outcome.duplicates++;
        continue;
      }
      const release = event.release ?? null;
      let releaseFirstSeen: number | null = null;
      if (release !== null) {
        const releaseKey = `${projectId}\u0000${release}`;
        const known = releases.get(releaseKey);
        if (known !== undefined) releaseFirstSeen = known;
        else {
          releaseFirstSeen = s.releaseFirstSeen.get(projectId, release)?.first_seen ?? null;
          if (releaseFirstSeen === null) s.insertRelease.run(projectId, release, event.received);
          // As a second SELECT would read it back: a release first seen in this batch is "new" only once.
          releases.set(releaseKey, releaseFirstSeen ?? event.received);
        }
      }

      let issueId = this.findIssue(projectId, grouping);
      let touch = issueId === null ? undefined : touched.get(issueId);
      const groupIsNew = issueId === null;
      if (issueId === null) {
        issueId = this.createIssue(prepared);
        touch = newTouch(prepared, true, { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: false });
        touched.set(issueId, touch);
        outcome.createdIssueIds.push(issueId);
        outcome.alerts.push({ kind: 'new', issueId, projectId });
      }
      const primaryHash = grouping.hashes[0] ?? '';
      const inserted = s.insertEvent.run(
        projectId, issueId, event.event_id, primaryHash, event.timestamp, event.received, release,
        event.environment ?? null, event.level, grouping.title, prepared.payload, event.user?.ip_address ?? null,
      );
      if (inserted.changes === 0) {
        outcome.duplicates++;
        continue;
      }
      // Only for an issue that owns the primary hash (the cache mirrors issue_hashes): a reference
      // lives as long as its hash is owned, which is what keeps it while events use it.
      if (prepared.reference && !groupIsNew && this.hashes.get(projectId, primaryHash) === issueId) {
        s.insertReference.run(projectId, primaryHash, referenceBytes(prepared.reference));
      }
      if (!touch) {
        const row = s.issueState.get(issueId);
        if (!row) throw new Error(`issue ${issueId} vanished during ingest`);
        touch = newTouch(prepared, false, {
          status: row.status,
          resolvedAt: row.resolved_at,
          resolvedInNextRelease: row.resolved_in_next_release === 1,
          resolvedInRelease: row.resolved_in_release,
          isRegression: row.is_regression === 1,
        });
        touched.set(issueId, touch);
      }
      const lifecycle = applyEvent(touch.state, { release, releaseFirstSeen }, this.releaseOrder);
      touch.state = lifecycle.state;
      if (lifecycle.regressed) outcome.alerts.push({ kind: 'regression', issueId, projectId });
      accumulate(touch, prepared);

      if (prepared.userKey !== null) {
        const userKey = `${issueId}\u0000${prepared.userKey}`;
        if (!usersSeen.has(userKey)) {
          usersSeen.add(userKey);
          if (s.insertUser.run(issueId, prepared.userKey).changes > 0) touch.users++;
        }
      }
      for (const [key, value] of prepared.tags) bump(tagCounts, `${issueId}\u0000${key}\u0000${value}`, 1);
      bump(hourCounts, `${issueId}\u0000${hourBucket(event.timestamp)}`, 1);
      for (const attachment of prepared.attachments) this.insertAttachment(projectId, event.event_id, attachment);
      outcome.stored.push({
        eventId: event.event_id,
        issueId,
        projectId,
        timestamp: iso(event.timestamp),
        received: iso(event.received),
        release,
        environment: event.environment ?? null,
        title: grouping.title,
        level: event.level,
        hash: primaryHash,
      });
    }

    for (const [issueId, touch] of touched) {
      if (touch.count === 0 && !touch.created) continue;
      this.updateIssue(issueId, touch);
      if (!touch.created) outcome.updatedIssueIds.push(issueId);
    }
    for (const [key, count] of tagCounts) {
      const [issueId, tagKey, value] = key.split('\u0000') as [string, string, string];
      s.upsertTag.run(Number(issueId), tagKey, value, count);
    }
    for (const [key, count] of hourCounts) {
      const [issueId, hour] = key.split('\u0000') as [string, string];
      s.upsertHour.run(Number(issueId), Number(hour), count);
    }
    const day = new Date(now * 1000).toISOString().slice(0, 10);
    for (const { projectId, counts } of batch.otherItems) {
      for (const [type, count] of Object.entries(counts)) s.upsertItemCount.run(projectId, type, day, count);
    }
    for (const loose of batch.looseAttachments) this.insertAttachment(loose.projectId, loose.eventId, loose.attachment);
    if (batch.forwards && batch.forwards.length > 0) this.forwardQueue?.enqueue(batch.forwards, now);
    for (const alert of outcome.alerts) {
      const touch = touched.get(alert.issueId);
      s.insertAlert.run(alert.kind, alert.issueId, alert.projectId, touch?.latest?.grouping.title ?? '', now);
    }
    return outcome;
  }

  /**
   * The issue that owns the first of the event's hashes any issue owns. The event's hashes that no
   * issue owns yet are adopted by it (as Sentry does), so a later event matching only those finds
   * this issue, and the event row's hash (its first) is always one its issue owns.
   */
  private findIssue(projectId: number, grouping: IssueGrouping): number | null {
    let found: number | undefined;
    let unowned: string[] | undefined;
    for (const hash of grouping.hashes) {
      let owner = this.hashes.get(projectId, hash);
      if (owner === undefined) {
        owner = this.statements.findHash.get(projectId, hash)?.issue_id;
        if (owner !== undefined) this.hashes.set(projectId, hash, owner);
      }
      if (owner === undefined) (unowned ??= []).push(hash);
      else found ??= owner;
    }
    if (found === undefined) return null;
    for (const hash of unowned ?? []) {
      this.statements.insertHash.run(projectId, hash, grouping.config, found);
      this.hashes.set(projectId, hash, found);
    }
    return found;
  }

  private createIssue(prepared: PreparedEvent): number {
    const { event, grouping, projectId } = prepared;
    const result = this.statements.insertIssue.run(
      projectId, grouping.title, grouping.culprit, prepared.searchText, event.level, event.platform,
      JSON.stringify(grouping.metadata), event.timestamp, event.timestamp, event.release ?? null, event.release ?? null,
    );
    const issueId = Number(result.lastInsertRowid);
    for (const hash of grouping.hashes) {
      this.statements.insertHash.run(projectId, hash, grouping.config, issueId);
      this.hashes.set(projectId, hash, issueId);
    }
    return issueId;
  }

  private updateIssue(id: number, touch: IssueTouch): void {
    const latest = touch.latest;
    if (!latest) return;
    this.statements.updateIssue.run({
      id,
      count: touch.count,
      users: touch.users,
      firstSeen: touch.firstSeen,
      lastSeen: touch.lastSeen,
      firstRelease: touch.firstRelease,
      lastRelease: touch.lastRelease,
      title: latest.grouping.title,
      culprit: latest.grouping.culprit,
      message: latest.searchText,
      level: latest.event.level satisfies Level,
      metadata: JSON.stringify(latest.grouping.metadata),
      status: touch.state.status,
      resolvedAt: touch.state.resolvedAt,
      resolvedInNextRelease: touch.state.resolvedInNextRelease ? 1 : 0,
      resolvedInRelease: touch.state.resolvedInRelease,
      isRegression: touch.state.isRegression ? 1 : 0,
    });
  }

  private insertAttachment(projectId: number, eventId: string, attachment: IncomingAttachment): void {
    this.statements.insertAttachment.run(
      projectId, eventId, attachment.filename, attachment.contentType, attachment.attachmentType,
      attachment.data.length, attachment.data,
    );
  }
}

function newTouch(prepared: PreparedEvent, created: boolean, state: LifecycleState): IssueTouch {
  return {
    state,
    initialStatus: state.status,
    created,
    count: 0,
    users: 0,
    firstSeen: prepared.event.timestamp,
    lastSeen: prepared.event.timestamp,
    firstRelease: null,
    lastRelease: null,
    latest: null,
  };
}

function accumulate(touch: IssueTouch, prepared: PreparedEvent): void {
  const { event } = prepared;
  touch.count++;
  touch.firstSeen = Math.min(touch.firstSeen, event.timestamp);
  if (event.timestamp >= touch.lastSeen || touch.latest === null) touch.latest = prepared;
  touch.lastSeen = Math.max(touch.lastSeen, event.timestamp);
  if (event.release) {
    touch.firstRelease ??= event.release;
    touch.lastRelease = event.release;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
