/** The core as its hosts (the headless CLI and the Electron shell) see it. */
import type { StreamMessage } from '../../shared/api';
import type { Issue } from '../../shared/issue';
import type { Project } from '../../shared/project';
import type { Settings } from '../../shared/settings';
import type { Notifier } from '../pipeline/alert/notifier';
import type { OpenInEditorRequest, OpenInEditorResult } from '../sources/open-in-editor';

export interface CoreOptions {
  dataDir: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Defaults to 127.0.0.1. Any other interface requires the API token. */
  host?: string;
  /** Extra OTLP listener (the exporters' default 4318); null disables it. Skipped quietly when taken. */
  otlpPort?: number | null;
  /** Receives every alert after coalescing. The headless default logs one line per alert. */
  notifier?: Notifier;
  /** Folder holding the built renderer (index.html): out/renderer, resolved by the entry point. */
  rendererDir: string;
  /** How bursts of alerts are coalesced (default: at most 5 per 10 s, then one summary). */
  alertCoalescing?: { limit: number; windowMs: number };
  /** Slow or stalled uploads and idle connections are cut after this long (default 30 s; tests shorten it). */
  requestTimeoutMs?: number;
  /** Forwarding to projects' upstreams: retry timing and how long an upstream may take (tests shorten them). */
  forwarding?: { retryBaseMs?: number; retryMaxMs?: number; timeoutMs?: number };
  /** Log level of the core's logger; "silent" in tests. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

export interface Core {
  readonly url: string;
  readonly port: number;
  readonly otlpPort: number | null;
  readonly dataDir: string;
  /** Required on every non-ingest request when listening beyond loopback; null on loopback. */
  readonly apiToken: string | null;
  listProjects(): Project[];
  unresolvedCount(): number;
  recentIssues(limit: number): Issue[];
  settings(): Settings;
  updateSettings(patch: Partial<Settings>): Settings;
  /** Live changes (the same messages as `GET /api/stream`); returns an unsubscribe. */
  subscribe(listener: (message: StreamMessage) => void): () => void;
  /** Opens a frame's file in the user's editor, with the same rules as `POST /api/open-in-editor`. */
  openInEditor(request: OpenInEditorRequest): Promise<OpenInEditorResult>;
  /** The newest event's top in-app frame with a local file, for a notification's "Open in editor"; null if none. */
  topInAppFrame(issueId: number): OpenInEditorRequest | null;
  /** Finishes in-flight requests, then closes the database. */
  stop(): Promise<void>;
  /**
   * Closes the database cleanly before returning, for when the process may be killed any moment
   * (Windows session end): commits what was accepted, releases the data folder; the listeners close
   * in the background. `stop` afterwards only waits for them.
   */
  stopNow(): void;
}

/** The port is taken by another program. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`port ${port} is already in use`);
  }
}

/** Another Stacktray process owns the data folder. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(readonly dataDir: string, readonly ownerPid: number) {
    super(`${dataDir} is in use by another Stacktray process (pid ${ownerPid})`);
  }
}
