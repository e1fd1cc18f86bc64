/** Reading stored events: per issue or across issues (newest first, filtered), by id, neighbours, attachments. */
import type { Db } from './db';
import { parseIssueQuery } from '../../shared/issue-query';
import type { AttachmentMeta } from '../../shared/event';
import type { EventSummary } from '../../shared/api';
import { decodePayload, type ReferenceData } from './payload-codec';
import { referenceReader } from './payload-references';
import { resolveAutoIp } from './auto-ip';
import { iso } from './issues-repo';

export interface EventRow {
  id: number;
  project_id: number;
  issue_id: number;
  event_id: string;
  hash: string;
  timestamp: number;
  received: number;
  release: string | null;
  environment: string | null;
  level: string;
  title: string;
  payload: Buffer;
  /** The user.ip_address the event was ingested with (the sender's address for `{{auto}}`). */
  user_ip: string | null;
}

type SummaryRow = Omit<EventRow, 'payload' | 'user_ip'>;

const SUMMARY_COLUMNS = 'id, project_id, issue_id, event_id, hash, timestamp, received, release, environment, level, title';

export interface StoredEvent {
  summary: EventSummary;
  rowId: number;
  /** The payload as received (JSON text), its `{{auto}}` user IP resolved to the address ingest put there. */
  payloadJson: string;
}

export interface StoredAttachment extends AttachmentMeta {
  data: Buffer;
}

/** Which events `search` returns: the issue list's query grammar, applied to single events. */
export interface EventSearch {
  issueId?: number | undefined;
  project?: number | undefined;
  /** Free text over the title; `level:`, `release:`, `environment:` and `issue:` filters. */
  query?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export class EventsRepo {
  private readonly statements;
  private readonly referenceData: ReferenceData;

  constructor(private readonly db: Db) {
    this.referenceData = referenceReader(db);
    this.statements = {
      byEventId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ? ORDER BY id LIMIT 1'),
      known: db.prepare<[number, string, number, string], number>(
        `SELECT EXISTS (SELECT 1 FROM events WHERE project_id = ? AND event_id = ?)
             OR EXISTS (SELECT 1 FROM evicted_events WHERE project_id = ? AND event_id = ?)`,
      ).pluck(),
      latest: db.prepare<[number], EventRow>('SELECT * FROM events WHERE issue_id = ? ORDER BY id DESC LIMIT 1'),
      oldest: db.prepare<[number], EventRow>('SELECT * FROM events WHERE issue_id = ? ORDER BY id ASC LIMIT 1'),
      allOfIssue: db.prepare<[number], EventRow>('SELECT * FROM events WHERE issue_id = ? ORDER BY id ASC'),
      previous: db.prepare<[number, number], { event_id: string }>(
        'SELECT event_id FROM events WHERE issue_id = ? AND id < ? ORDER BY id DESC LIMIT 1',
      ),
      next: db.prepare<[number, number], { event_id: string }>(
        'SELECT event_id FROM events WHERE issue_id = ? AND id > ? ORDER BY id ASC LIMIT 1',
      ),
      attachments: db.prepare<[number, string], Omit<StoredAttachment, 'data'>>(
        `SELECT id, filename, content_type AS contentType, attachment_type AS attachmentType, size
         FROM attachments WHERE project_id = ? AND event_id = ? ORDER BY id`,
      ),
      attachment: db.prepare<[number, string], StoredAttachment>(
        `SELECT a.id, a.filename, a.content_type AS contentType, a.attachment_type AS attachmentType, a.size, a.data
         FROM attachments a WHERE a.id = ? AND a.event_id = ?`,
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events'),
    };
  }

  /** Newest first. Filters the event has no column for (other tags) match nothing, as in Sentry. */
  search(search: EventSearch): { events: EventSummary[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => (where.push(clause), params.push(...values));
    if (search.issueId !== undefined) add('issue_id = ?', search.issueId);
    if (search.project !== undefined) add('project_id = ?', search.project);
    const parsed = parseIssueQuery(search.query ?? '');
    if (parsed.levels.length > 0) add(`level IN (${parsed.levels.map(() => '?').join(',')})`, ...parsed.levels);
    for (const text of parsed.text) add("title LIKE ? ESCAPE '\\'", `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    for (const { key, value } of parsed.tags) {
      if (key === 'release' || key === 'environment') add(`${key} = ?`, value);
      else if (key === 'issue' && /^\d+$/.test(value)) add('issue_id = ?', Number(value));
      else where.push('0');
    }
    const before = search.cursor ? Number(search.cursor) : Number.MAX_SAFE_INTEGER;
    add('id < ?', Number.isFinite(before) ? before : Number.MAX_SAFE_INTEGER);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare<(string | number)[], SummaryRow>(sql).all(...params, search.limit + 1);
    const page = rows.slice(0, search.limit);
    const last = page[page.length - 1];
    return { events: page.map(toSummary), nextCursor: rows.length > search.limit && last ? String(last.id) : null };
  }

  /** Stored in the project, or stored once and evicted by retention. */
  isKnown(projectId: number, eventId: string): boolean {
    return this.statements.known.get(projectId, eventId, projectId, eventId) === 1;
  }

  byEventId(eventId: string): StoredEvent | undefined {
    return toStored(this.statements.byEventId.get(eventId), this.referenceData);
  }

  latest(issueId: number): StoredEvent | undefined {
    return toStored(this.statements.latest.get(issueId), this.referenceData);
  }

  oldest(issueId: number): StoredEvent | undefined {
    return toStored(this.statements.oldest.get(issueId), this.referenceData);
  }

  *allOfIssue(issueId: number): Generator<StoredEvent> {
    for (const row of this.statements.allOfIssue.iterate(issueId)) yield toStored(row, this.referenceData) as StoredEvent;
  }

  neighbours(issueId: number, rowId: number): { previousEventId: string | null; nextEventId: string | null } {
    return {
      previousEventId: this.statements.previous.get(issueId, rowId)?.event_id ?? null,
      nextEventId: this.statements.next.get(issueId, rowId)?.event_id ?? null,
    };
  }

  attachments(projectId: number, eventId: string): AttachmentMeta[] {
    return this.statements.attachments.all(projectId, eventId);
  }

  attachment(id: number, eventId: string): StoredAttachment | undefined {
    return this.statements.attachment.get(id, eventId);
  }

  count(): number {
    return this.statements.count.get()?.n ?? 0;
  }
}

function toSummary(row: SummaryRow): EventSummary {
  return {
    eventId: row.event_id,
    issueId: row.issue_id,
    projectId: row.project_id,
    timestamp: iso(row.timestamp),
    received: iso(row.received),
    release: row.release,
    environment: row.environment,
    title: row.title,
    level: row.level,
    hash: row.hash,
  };
}

function toStored(row: EventRow | undefined, referenceData: ReferenceData): StoredEvent | undefined {
  if (!row) return undefined;
  return { summary: toSummary(row), rowId: row.id, payloadJson: resolveAutoIp(decodePayload(row.payload, referenceData), row.user_ip) };
}
