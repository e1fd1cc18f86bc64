/**
 * An issue's fingerprints (grouping hashes) with what each one holds, so a user can tell which
 * hash to unmerge. An event row records ONE hash: the first (preferred) of the hashes its grouping
 * produced, which ingest guarantees the issue owns (it matched, created or adopted it). The
 * event's other hashes are adopted too but count no events: unmerging them alone would move
 * nothing, so the list says which fingerprints they came alongside.
 */
import type { Db } from './db';
import type { IssueFingerprint, IssueFingerprintList } from '../../shared/api';
import type { GroupingResult } from '../../shared/grouping';
import type { SentryEvent } from '../../shared/event';
import { iso } from './issues-repo';
import { normalizeStoredRow, type NormalizeStored, type StoredEventRow } from './stored-event-row';
import { referenceReader } from './payload-references';
import type { ReferenceData } from './payload-codec';

export interface FingerprintDeps {
  normalizeStored: NormalizeStored;
  group: (event: SentryEvent, projectId: number) => GroupingResult;
}

interface HashStats {
  hash: string;
  events: number;
  latest_at: number;
  latest_row: number;
  event_id: string;
  title: string;
}

/** Regrouping a stored event costs a decode and a normalize: an issue merged from hundreds stops here. */
const MAX_REGROUPED = 50;

export class IssueFingerprints {
  private readonly statements;
  private readonly referenceData: ReferenceData;

  constructor(db: Db, private readonly deps: FingerprintDeps) {
    this.referenceData = referenceReader(db);
    this.statements = {
      project: db.prepare<[number], { project_id: number }>('SELECT project_id FROM issues WHERE id = ?'),
      hashes: db.prepare<[number], { hash: string; config: string }>('SELECT hash, config FROM issue_hashes WHERE issue_id = ? ORDER BY hash'),
      // With a lone max() aggregate SQLite takes the bare columns from the row holding the maximum.
      stats: db.prepare<[number], HashStats>(
        `SELECT hash, count(*) AS events, max(timestamp) AS latest_at, id AS latest_row, event_id, title
         FROM events WHERE issue_id = ? GROUP BY hash`,
      ),
      row: db.prepare<[number], StoredEventRow>('SELECT event_id, received, payload, user_ip FROM events WHERE id = ?'),
    };
  }

  /** undefined when the issue does not exist. */
  list(issueId: number): IssueFingerprintList | undefined {
    const issue = this.statements.project.get(issueId);
    if (!issue) return undefined;
    const owned = this.statements.hashes.all(issueId);
    const stats = new Map(this.statements.stats.all(issueId).map((row) => [row.hash, row]));
    const explained = this.explain(issue.project_id, owned.map((row) => row.hash), stats);
    const fingerprints = owned.map(({ hash, config }): IssueFingerprint => {
      const held = stats.get(hash);
      return {
        hash,
        config,
        eventCount: held?.events ?? 0,
        latestEvent: held ? { eventId: held.event_id, title: held.title, timestamp: iso(held.latest_at) } : null,
        variant: explained.variants.get(hash) ?? null,
        alongside: [...(explained.alongside.get(hash) ?? [])].sort(),
      };
    });
    const latestAt = (fingerprint: IssueFingerprint) => stats.get(fingerprint.hash)?.latest_at ?? 0;
    fingerprints.sort((a, b) => b.eventCount - a.eventCount || latestAt(b) - latestAt(a) || a.hash.localeCompare(b.hash));
    return { issueId, fingerprints };
  }

  /**
   * Groups each fingerprint's latest event again (with the project's current rules): the variant
   * whose hash equals a fingerprint names it, and the event's other hashes came alongside it.
   */
  private explain(projectId: number, owned: string[], stats: Map<string, HashStats>) {
    const ownedSet = new Set(owned);
    const variants = new Map<string, { key: string; description: string }>();
    const alongside = new Map<string, Set<string>>();
    const busiest = [...stats.values()].sort((a, b) => b.events - a.events || a.hash.localeCompare(b.hash)).slice(0, MAX_REGROUPED);
    for (const held of busiest) {
      const row = this.statements.row.get(held.latest_row);
      if (!row) continue;
      const grouping = this.deps.group(normalizeStoredRow(this.deps.normalizeStored, row, this.referenceData), projectId);
      // A fingerprint's own event names its variant first; another event's naming only fills gaps.
      const ordered = [...grouping.variants].sort((a, b) => Number(b.hash === held.hash) - Number(a.hash === held.hash));
      for (const variant of ordered) {
        if (variant.hash === null || !ownedSet.has(variant.hash) || variants.has(variant.hash)) continue;
        if (variant.hash !== held.hash && !grouping.hashes.includes(variant.hash)) continue;
        variants.set(variant.hash, { key: variant.key, description: variant.description });
      }
      for (const hash of grouping.hashes) {
        if (hash === held.hash || !ownedSet.has(hash)) continue;
        const companions = alongside.get(hash) ?? new Set<string>();
        companions.add(held.hash);
        alongside.set(hash, companions);
      }
    }
    return { variants, alongside };
  }
}
