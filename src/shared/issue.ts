import type { Level } from './event';
import type { IssueMetadata } from './grouping';

export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';

/** Issue as the API returns it (timestamps are ISO 8601 strings). */
export interface Issue {
  id: number;
  projectId: number;
  title: string;
  culprit: string;
  level: Level;
  status: IssueStatus;
  /** Set while status is "resolved" and the resolution waits for a newer release. */
  resolvedInNextRelease: boolean;
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  firstRelease: string | null;
  lastRelease: string | null;
  platform: string;
  metadata: IssueMetadata;
  /** True while the issue was created within the last 24 hours and never resolved. */
  isNew: boolean;
  /** True once the issue has regressed, until it is resolved or ignored again. */
  isRegression: boolean;
  /** Hourly event counts for the last 24 hours, oldest first (24 numbers). */
  histogram24h?: number[];
}

export interface IssueDetail extends Issue {
  environments: string[];
  releases: string[];
  hashes: { hash: string; config: string }[];
  resolvedAt: string | null;
  tags: { key: string; values: { value: string; count: number }[] }[];
}

export type AlertKind = 'new' | 'regression' | 'summary';

export interface Alert {
  kind: AlertKind;
  /** Absent for a summary. */
  issueId?: number;
  projectId?: number;
  projectName?: string;
  title: string;
  count?: number;
  /** For a summary: how many alerts it stands for. */
  suppressed?: number;
  at: string;
}
