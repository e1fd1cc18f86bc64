/** Reading and changing issues: the list with its filters and cursor, details, status, deletion. */
import type { Db } from './db';
import type { Issue, IssueDetail, IssueStatus } from '../../shared/issue';
import type { IssueListQuery, IssueSort } from '../../shared/api';
import type { IssueMetadata } from '../../shared/grouping';
import type { Level } from '../../shared/event';
import type { LifecycleState } from '../pipeline/lifecycle';
import { parseIssueQuery } from '../../shared/issue-query';
import { hourBucket } from './hour-bucket';
import { StatementCache } from './statement-cache';

export interface IssueRow {
  id: number;
  project_id: number;
  title: string;
  culprit: string;
  message: string;
  level: string;
  platform: string;
  metadata: string;
  status: string;
  resolved_at: number | null;
  resolved_in_next_release: number;
  resolved_in_release: string | null;
  is_regression: number;
  ever_resolved: number;
  count: number;
  user_count: number;
  first_seen: number;
  last_seen: number;
  first_release: string | null;
  last_release: string | null;
}

// `user_count` has no index: a sort by users reads every issue (ms for thousands of them), while
// an index would be rewritten by every ingest commit that touches the issue.
const SORT_COLUMN: Record<IssueSort, 'last_seen' | 'first_seen' | 'count' | 'user_count'> = {
  lastSeen: 'last_seen',
  firstSeen: 'first_seen',
  count: 'count',
  users: 'user_count',
};

const DAY = 86_400;

export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

export class IssuesRepo {
  private readonly statements;
  private readonly byText: StatementCache;

  constructor(db: Db) {
    this.byText = new StatementCache(db);
    this.statements = {
      byId: db.prepare<[number], IssueRow>('SELECT * FROM issues WHERE id = ?'),
      unresolvedCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM issues WHERE status = 'unresolved'"),
      recent: db.prepare<[number], IssueRow>('SELECT * FROM issues ORDER BY last_seen DESC, id DESC LIMIT ?'),
      tags: db.prepare<[number], { key: string; value: string; count: number }>(
        'SELECT key, value, count FROM issue_tags WHERE issue_id = ? ORDER BY key, count DESC, value',
      ),
      hashes: db.prepare<[number], { hash: string; config: string }>(
        'SELECT hash, config FROM issue_hashes WHERE issue_id = ? ORDER BY hash',
      ),
      setStatus: db.prepare(
        `UPDATE issues SET status = @status, resolved_at = @resolvedAt, resolved_in_next_release = @resolvedInNextRelease,
           resolved_in_release = @resolvedInRelease, is_regression = @isRegression, ever_resolved = max(ever_resolved, @everResolved) WHERE id = @id`,
      ),
      // One statement for any number of ids (a JSON array), not one compiled per list length.
      byIds: db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE id IN (SELECT value FROM json_each(?))'),
      hourly: db.prepare<[number, string], { issue_id: number; hour: number; count: number }>(
        'SELECT issue_id, hour, count FROM issue_hourly WHERE hour >= ? AND issue_id IN (SELECT value FROM json_each(?))',
      ),
      delete: db.prepare('DELETE FROM issues WHERE id = ?'),
      raiseCounts: db.prepare('UPDATE issues SET count = max(count, ?), user_count = max(user_count, ?) WHERE id = ?'),
      similar: db.prepare<[{ id: number; projectId: number; title: string; fn: string | null; limit: number }], IssueRow>(
        `SELECT * FROM issues WHERE project_id = @projectId AND title = @title AND id != @id
           AND json_extract(metadata, '$.function') IS @fn ORDER BY last_seen DESC, id DESC LIMIT @limit`,
      ),
    };
  }

  get(id: number): Issue | undefined {
    const row = this.statements.byId.get(id);
    return row ? this.toIssue(row, Date.now() / 1000) : undefined;
  }

  row(id: number): IssueRow | undefined {
    return this.statements.byId.get(id);
  }

  getMany(ids: number[]): Issue[] {
    if (ids.length === 0) return [];
    const now = Date.now() / 1000;
    const rows = this.statements.byIds.all(JSON.stringify(ids));
    return this.withHistograms(rows.map((row) => this.toIssue(row, now)), now);
  }

  detail(id: number): IssueDetail | undefined {
    const row = this.statements.byId.get(id);
    if (!row) return undefined;
    const now = Date.now() / 1000;
    const [issue] = this.withHistograms([this.toIssue(row, now)], now);
    const tagMap = new Map<string, { value: string; count: number }[]>();
    for (const tag of this.statements.tags.all(id)) {
      const values = tagMap.get(tag.key) ?? [];
      values.push({ value: tag.value, count: tag.count });
      tagMap.set(tag.key, values);
    }
    return {
      ...(issue as Issue),
      environments: (tagMap.get('environment') ?? []).map((t) => t.value),
      releases: (tagMap.get('release') ?? []).map((t) => t.value),
      hashes: this.statements.hashes.all(id),
      resolvedAt: row.resolved_at === null ? null : iso(row.resolved_at),
      tags: [...tagMap].map(([key, values]) => ({ key, values })),
    };
  }

  list(query: IssueListQuery): { issues: Issue[]; nextCursor: string | null } {
    const sort = SORT_COLUMN[query.sort ?? 'lastSeen'];
    const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.project !== undefined) (where.push('project_id = ?'), params.push(query.project));
    const search = parseIssueQuery(query.query ?? '');
    // A query naming statuses (`is:resolved`, `!is:ignored`) decides them; else the status parameter does.
    const queryNamesStatus = search.statuses.length > 0 || search.excluded.statuses.length > 0;
    const statuses = queryNamesStatus ? search.statuses : query.status && query.status !== 'all' ? [query.status] : [];
    if (statuses.length > 0) (where.push(`status IN (${statuses.map(() => '?').join(',')})`), params.push(...statuses));
    const { excluded } = search;
    const placeholders = (values: unknown[]) => values.map(() => '?').join(',');
    if (search.levels.length > 0) (where.push(`level IN (${placeholders(search.levels)})`), params.push(...search.levels));
    if (excluded.levels.length > 0) (where.push(`level NOT IN (${placeholders(excluded.levels)})`), params.push(...excluded.levels));
    if (excluded.statuses.length > 0) (where.push(`status NOT IN (${placeholders(excluded.statuses)})`), params.push(...excluded.statuses));
    const newSince = Date.now() / 1000 - DAY;
    if (search.isNew) (where.push('ever_resolved = 0 AND first_seen > ?'), params.push(newSince));
    if (excluded.isNew) (where.push('NOT (ever_resolved = 0 AND first_seen > ?)'), params.push(newSince));
    if (search.isRegression) where.push('is_regression = 1');
    if (excluded.isRegression) where.push('is_regression = 0');
    for (const text of search.text) {
      // `*` is a wildcard; LIKE's own wildcards are matched literally.
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%')}%`;
      where.push("(title LIKE ? ESCAPE '\\' OR culprit LIKE ? ESCAPE '\\' OR message LIKE ? ESCAPE '\\')");
      params.push(like, like, like);
    }
    for (const tag of search.tags) {
      const wildcard = tag.value.includes('*');
      const match = wildcard ? 't.value GLOB ?' : 't.value = ?';
      where.push(`${tag.negated ? 'NOT ' : ''}EXISTS (SELECT 1 FROM issue_tags t WHERE t.issue_id = issues.id AND t.key = ? AND ${match})`);
      params.push(tag.key, wildcard ? globPattern(tag.value) : tag.value);
    }
    for (const has of search.has) {
      // Users are counted per issue, not kept as a tag.
      if (has.key === 'user') {
        where.push(has.negated ? 'user_count = 0' : 'user_count > 0');
        continue;
      }
      where.push(`${has.negated ? 'NOT ' : ''}EXISTS (SELECT 1 FROM issue_tags t WHERE t.issue_id = issues.id AND t.key = ?)`);
      params.push(has.key);
    }
    const cursor = decodeCursor(query.cursor);
    if (cursor) {
      where.push(`(${sort} < ? OR (${sort} = ? AND id < ?))`);
      params.push(cursor.value, cursor.value, cursor.id);
    }
    const sql = `SELECT * FROM issues ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sort} DESC, id DESC LIMIT ?`;
    const rows = this.byText.get<(string | number)[], IssueRow>(sql).all(...params, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor(last[sort], last.id) : null;
    const now = Date.now() / 1000;
    return { issues: this.withHistograms(page.map((row) => this.toIssue(row, now)), now), nextCursor };
  }

  /**
   * Issues that look like this one: the same project, title and top in-app function (Sentry
   * splits them by the contributing source line), the most recently seen first.
   */
  similar(id: number, limit = 20): Issue[] {
    const row = this.statements.byId.get(id);
    if (!row) return [];
    const fn = (JSON.parse(row.metadata) as IssueMetadata).function ?? null;
    const now = Date.now() / 1000;
    const rows = this.statements.similar.all({ id, projectId: row.project_id, title: row.title, fn, limit });
    return this.withHistograms(rows.map((similar) => this.toIssue(similar, now)), now);
  }

  unresolvedCount(): number {
    return this.statements.unresolvedCount.get()?.n ?? 0;
  }

  recent(limit: number): Issue[] {
    const now = Date.now() / 1000;
    return this.statements.recent.all(limit).map((row) => this.toIssue(row, now));
  }

  lifecycleState(id: number): LifecycleState | undefined {
    const row = this.statements.byId.get(id);
    if (!row) return undefined;
    return {
      status: row.status as IssueStatus,
      resolvedAt: row.resolved_at,
      resolvedInNextRelease: row.resolved_in_next_release === 1,
      resolvedInRelease: row.resolved_in_release,
      isRegression: row.is_regression === 1,
    };
  }

  saveLifecycleState(id: number, state: LifecycleState): void {
    this.statements.setStatus.run({
      id,
      status: state.status,
      resolvedAt: state.resolvedAt,
      resolvedInNextRelease: state.resolvedInNextRelease ? 1 : 0,
      resolvedInRelease: state.resolvedInRelease,
      isRegression: state.isRegression ? 1 : 0,
      everResolved: state.status === 'resolved' ? 1 : 0,
    });
  }

  /** An imported issue counted more than its exported events (retention had dropped some): keep its counts. */
  raiseCounts(id: number, count: number, userCount: number): void {
    this.statements.raiseCounts.run(count, userCount, id);
  }

  delete(id: number): boolean {
    return this.statements.delete.run(id).changes > 0;
  }

  private withHistograms(issues: Issue[], now: number): Issue[] {
    if (issues.length === 0) return issues;
    const currentHour = hourBucket(now);
    const firstHour = currentHour - 23;
    const rows = this.statements.hourly.all(firstHour, JSON.stringify(issues.map((issue) => issue.id)));
    const byIssue = new Map<number, number[]>(issues.map((issue) => [issue.id, new Array<number>(24).fill(0)]));
    for (const row of rows) {
      const buckets = byIssue.get(row.issue_id);
      const index = row.hour - firstHour;
      if (buckets && index >= 0 && index < 24) buckets[index] = (buckets[index] ?? 0) + row.count;
    }
    return issues.map((issue) => ({ ...issue, histogram24h: byIssue.get(issue.id) ?? [] }));
  }

  toIssue(row: IssueRow, now: number): Issue {
    return {
      id: row.id,
      projectId: row.project_id,
      title: row.title,
      culprit: row.culprit,
      level: row.level as Level,
      status: row.status as IssueStatus,
      resolvedInNextRelease: row.resolved_in_next_release === 1,
      count: row.count,
      userCount: row.user_count,
      firstSeen: iso(row.first_seen),
      lastSeen: iso(row.last_seen),
      firstRelease: row.first_release,
      lastRelease: row.last_release,
      platform: row.platform,
      metadata: JSON.parse(row.metadata) as IssueMetadata,
      isNew: row.ever_resolved === 0 && row.is_regression === 0 && now - row.first_seen < DAY,
      isRegression: row.is_regression === 1,
    };
  }
}

/** A search value's `*` as GLOB's, GLOB's other specials (`?`, `[`) matched literally. */
function globPattern(value: string): string {
  return value.replace(/[?[\]]/g, (c) => `[${c}]`);
}

function encodeCursor(value: number, id: number): string {
  return Buffer.from(`${value}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { value: number; id: number } | null {
  if (!cursor) return null;
  const parts = Buffer.from(cursor, 'base64url').toString().split(':');
  if (parts.length !== 2 || parts.some((part) => part.trim() === '')) return null;
  const [value, id] = parts.map(Number);
  if (value === undefined || id === undefined || !Number.isFinite(value) || !Number.isSafeInteger(id) || id < 1) return null;
  return { value, id };
}

/** Whether `cursor` is one the list gave out as `nextCursor` (anything else is refused, never read as page 1). */
export function isIssueCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== null;
}
