/** Request and response shapes of the HTTP API (`/api/...`) and its live stream. */
import type { AttachmentMeta, SentryEvent } from './event';
import type { GroupingVariant } from './grouping';
import type { Issue, IssueDetail, IssueStatus, Alert } from './issue';
import type { Project } from './project';
import type { Refusal } from './refusal';
import type { Settings } from './settings';

export interface ApiError {
  detail: string;
}

export interface ProjectList {
  projects: Project[];
}

export interface CreateProjectRequest {
  name: string;
}

export interface UpdateProjectRequest {
  name?: string;
  keyEnabled?: boolean;
  /** true: generate a new key. */
  rotateKey?: boolean;
  /** Adopt an existing key (32 hex, or any 1–64 chars of [A-Za-z0-9_-] from another Sentry setup). */
  publicKey?: string;
  webhookUrl?: string | null;
  fingerprintRules?: string;
  /** The team's server (a Sentry DSN) to forward every accepted envelope to; null turns forwarding off. */
  upstreamDsn?: string | null;
}

export type IssueSort = 'lastSeen' | 'firstSeen' | 'count' | 'users';
export type IssueStatusFilter = IssueStatus | 'all';

export interface IssueListQuery {
  project?: number;
  status?: IssueStatusFilter;
  /** Free text over title, culprit and message, plus `release:`, `environment:`, `level:`, `is:` filters. */
  query?: string;
  sort?: IssueSort;
  limit?: number;
  cursor?: string;
}

export interface IssueList {
  issues: Issue[];
  nextCursor: string | null;
}

/** `GET /api/issues/:id/similar`: same project, title and top in-app function; merge candidates. */
export interface SimilarIssueList {
  issues: Issue[];
}

export interface UpdateIssueRequest {
  status: IssueStatus;
  resolveIn?: 'next-release';
}

export interface BulkUpdateIssuesRequest extends UpdateIssueRequest {
  ids: number[];
}

export interface EventSummary {
  eventId: string;
  issueId: number;
  projectId: number;
  timestamp: string;
  received: string;
  release: string | null;
  environment: string | null;
  title: string;
  level: string;
  hash: string;
}

export interface EventList {
  events: EventSummary[];
  nextCursor: string | null;
}

export interface EventDetail extends EventSummary {
  event: SentryEvent;
  /** The payload exactly as received (parsed JSON). */
  raw: unknown;
  attachments: AttachmentMeta[];
  grouping: { config: string; variants: GroupingVariant[] };
  /** Neighbours within the issue, for navigation (null at either end). */
  previousEventId: string | null;
  nextEventId: string | null;
}

export const EXPORT_FORMAT_VERSION = 2;

export interface ExportedIssue extends IssueDetail {
  events: SentryEvent[];
}

/** A project as exported: import matches it by name and creates it (with a new key) when missing. */
export interface ExportedProject {
  /** The id it had where it was exported: issues' `projectId` refers to it. */
  id: number;
  name: string;
  keyEnabled: boolean;
  webhookUrl: string | null;
  fingerprintRules: string;
  upstreamDsn: string | null;
}

export interface ExportDocument {
  /** 2 since projects are exported; 1 (issues only) is still read. */
  formatVersion: number;
  exportedAt: string;
  projects?: ExportedProject[];
  issues: ExportedIssue[];
}

export interface ImportResult {
  /** What was added: issues new here, events new here, projects created. */
  issues: number;
  events: number;
  projects: number;
  /** Already present and left as they were. */
  skipped: { issues: number; events: number };
  /** Events in the file that are not events (they were left out). */
  unreadable: number;
}

export interface MergeIssuesRequest {
  ids: number[];
}

/**
 * One grouping hash of an issue as `GET /api/issues/:id/hashes` lists it (Sentry's "Merged
 * issues" tab). Each stored event counts under exactly one hash: the first (preferred) hash its
 * grouping produced. Its other hashes were adopted by the issue too, so they count no events.
 */
export interface IssueFingerprint {
  hash: string;
  /** The grouping configuration that produced the hash when the issue adopted it. */
  config: string;
  /** Stored events of this issue grouped under this hash: what unmerging it moves. */
  eventCount: number;
  latestEvent: { eventId: string; title: string; timestamp: string } | null;
  /**
   * The grouping variant that produces the hash ("app", "system", "custom-fingerprint"…), found by
   * grouping the latest events again with the project's current rules; null when none produces it.
   */
  variant: { key: string; description: string } | null;
  /** Other fingerprints of this issue whose latest event also produced this hash. */
  alongside: string[];
}

export interface IssueFingerprintList {
  issueId: number;
  /** Most events first, then the most recently seen. */
  fingerprints: IssueFingerprint[];
}

export interface UnmergeIssueRequest {
  /** Fingerprints of the issue whose events move to a new issue (some, not all, of those holding events). */
  hashes: string[];
}

export type SettingsResponse = Settings;

export interface ServerInfo {
  version: string;
  dataDir: string;
  /** The interface the server listens on (127.0.0.1 unless started with --host). */
  host: string;
  /** Beyond loopback: every API call needs `apiToken`. */
  tokenRequired: boolean;
  port: number;
  otlpPort: number | null;
  /**
   * Made on first run and kept in the database: what other machines send (Bearer or `?token=`)
   * when the server listens beyond loopback. On loopback nothing asks for it.
   */
  apiToken: string;
}

/** Messages on `GET /api/stream` (server-sent events; the SSE event name is `type`). */
export type StreamMessage =
  | { type: 'issue.created'; issue: Issue }
  | { type: 'issue.updated'; issue: Issue }
  | { type: 'issue.deleted'; issueId: number }
  /** The newest event of an issue; `newEvents`: how many it got since the previous message. */
  | { type: 'event.created'; event: EventSummary; newEvents: number }
  /** `createdFor`: the project was just created for an OTLP service.name that had none. */
  | { type: 'project.changed'; project: Project; createdFor?: { serviceName: string } }
  | { type: 'project.deleted'; projectId: number }
  | { type: 'alert'; alert: Alert }
  | { type: 'settings.changed'; settings: Settings }
  /** Refusals of one project and reason changed (sent at most about once a second each). */
  | { type: 'refusal'; refusal: Refusal };

export type { Issue, IssueDetail, IssueStatus, Project, Settings, Alert };

/** `POST /api/open-in-editor`: a file from one of an event's frames. */
export interface OpenInEditorRequest {
  path: string;
  line?: number;
  column?: number;
  /** The event the frame belongs to: the path must be one of its frames' files. */
  eventId?: string;
}

/** A source-map artifact bundle uploaded with sentry-cli (project settings → Source maps). */
export interface ArtifactBundle {
  /** The bundle's sha1. */
  id: string;
  projectIds: number[];
  release: string | null;
  dist: string | null;
  uploadedAt: string;
  /** Bytes on disk. */
  size: number;
  /** Files in its manifest. */
  files: number;
  sourceMaps: number;
  debugIds: string[];
}

export interface ArtifactBundleList {
  bundles: ArtifactBundle[];
}
