/**
 * Reads a POSTed export (formatVersion 1 or 2) into what import needs, or a plain reason why it
 * is not one. Pure; lenient with fields an older or hand-edited export lacks.
 */
import type { IssueStatus } from '../../shared/issue';

export interface ImportedProject {
  name: string;
  keyEnabled: boolean;
  webhookUrl: string | null;
  fingerprintRules: string;
  upstreamDsn: string | null;
}

export interface ImportedIssue {
  /** The project id where it was exported. */
  projectId: number | null;
  status: IssueStatus;
  isRegression: boolean;
  resolvedInNextRelease: boolean;
  /** Seconds since the epoch. */
  resolvedAt: number | null;
  lastRelease: string | null;
  count: number;
  userCount: number;
  events: unknown[];
}

export interface ImportDocument {
  formatVersion: 1 | 2;
  /** By the id each had where it was exported (version 2). */
  projects: Map<number, ImportedProject>;
  issues: ImportedIssue[];
}

const STATUSES = new Set<IssueStatus>(['unresolved', 'resolved', 'ignored']);

export function readImportDocument(body: unknown): { ok: true; document: ImportDocument } | { ok: false; reason: string } {
  if (!isObject(body) || !('formatVersion' in body)) return { ok: false, reason: 'this is not a Stacktray export (no formatVersion)' };
  const version = body['formatVersion'];
  if (version !== 1 && version !== 2) {
    return { ok: false, reason: `this export has formatVersion ${JSON.stringify(version)?.slice(0, 40)}; this Stacktray reads versions 1 and 2` };
  }
  const issues = body['issues'];
  if (!Array.isArray(issues)) return { ok: false, reason: 'this is not a Stacktray export (no list of issues)' };
  const projects = new Map<number, ImportedProject>();
  if (version === 2) {
    const listed = body['projects'] ?? [];
    if (!Array.isArray(listed)) return { ok: false, reason: 'the export\'s projects are not a list' };
    for (const [index, raw] of listed.entries()) {
      if (!isObject(raw) || typeof raw['id'] !== 'number' || typeof raw['name'] !== 'string' || raw['name'].trim() === '') {
        return { ok: false, reason: `project ${index + 1} of the export has no id or name` };
      }
      projects.set(raw['id'], {
        name: raw['name'].trim().slice(0, 100),
        keyEnabled: raw['keyEnabled'] !== false,
        webhookUrl: typeof raw['webhookUrl'] === 'string' && /^https?:\/\//.test(raw['webhookUrl']) ? raw['webhookUrl'] : null,
        fingerprintRules: typeof raw['fingerprintRules'] === 'string' ? raw['fingerprintRules'] : '',
        upstreamDsn: typeof raw['upstreamDsn'] === 'string' ? raw['upstreamDsn'] : null,
      });
    }
  }
  const read: ImportedIssue[] = [];
  for (const [index, raw] of issues.entries()) {
    if (!isObject(raw) || !Array.isArray(raw['events'])) return { ok: false, reason: `issue ${index + 1} of the export has no list of events` };
    const status = raw['status'];
    const resolvedAt = typeof raw['resolvedAt'] === 'string' ? Date.parse(raw['resolvedAt']) / 1000 : Number.NaN;
    read.push({
      projectId: typeof raw['projectId'] === 'number' ? raw['projectId'] : null,
      status: typeof status === 'string' && STATUSES.has(status as IssueStatus) ? (status as IssueStatus) : 'unresolved',
      isRegression: raw['isRegression'] === true,
      resolvedInNextRelease: raw['resolvedInNextRelease'] === true,
      resolvedAt: Number.isFinite(resolvedAt) ? resolvedAt : null,
      lastRelease: typeof raw['lastRelease'] === 'string' ? raw['lastRelease'] : null,
      count: countOf(raw['count']),
      userCount: countOf(raw['userCount']),
      events: raw['events'],
    });
  }
  return { ok: true, document: { formatVersion: version, projects, issues: read } };
}

function countOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
