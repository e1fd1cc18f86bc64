/** The store: one SQLite database and the repositories that own its statements. */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db, type OpenedDb } from './db';
import { ProjectsRepo } from './projects-repo';
import { IssuesRepo } from './issues-repo';
import { EventsRepo } from './events-repo';
import { IngestWriter } from './ingest-writer';
import { IssueHashCache } from './issue-hash-cache';
import { BackgroundCheckpoints } from './background-checkpoints';
import { ForwardQueue } from './forward-queue';
import { PayloadReferences } from './payload-references';

export class Store {
  readonly projects: ProjectsRepo;
  readonly issues: IssuesRepo;
  readonly events: EventsRepo;
  readonly writer: IngestWriter;
  readonly forwardQueue: ForwardQueue;
  readonly issueHashes = new IssueHashCache();
  readonly payloadReferences: PayloadReferences;
  readonly db: Db;
  /** Set when a corrupt database was moved aside: where it went. */
  readonly movedAsideTo: string | null;
  /** How the database was found at open: after an unclean shutdown it was integrity-checked. */
  readonly openReport: { uncleanShutdown: boolean; integrityChecked: boolean };
  private checkpoints: BackgroundCheckpoints | null = null;

  constructor(private readonly opened: OpenedDb, dsnBase: () => string) {
    const db = opened.db;
    this.db = db;
    this.movedAsideTo = opened.movedAsideTo;
    this.openReport = { uncleanShutdown: opened.uncleanShutdown, integrityChecked: opened.integrityChecked };
    this.forwardQueue = new ForwardQueue(db);
    this.projects = new ProjectsRepo(db, dsnBase, (projectId) => this.forwardQueue.status(projectId));
    this.issues = new IssuesRepo(db);
    this.events = new EventsRepo(db);
    this.payloadReferences = new PayloadReferences(db);
    this.writer = new IngestWriter(db, this.issueHashes, () => this.checkpoints?.afterWrite(), this.forwardQueue);
  }

  /**
   * Moves WAL checkpoints to a worker thread (see background-checkpoints.ts) while ingest commits
   * quickly: its isolate is ~10 MB of RSS that an idle tracker, one that only serves the UI, or
   * one that gets a few events a minute does not need. Otherwise, and if the worker cannot run,
   * SQLite checkpoints on this thread as it commits.
   */
  startBackgroundCheckpoints(warn: (message: string) => void): void {
    this.checkpoints ??= BackgroundCheckpoints.start(this.db, this.opened.file, { warn });
  }

  /** Whether the checkpoint worker runs now. */
  get checkpointWorkerRunning(): boolean {
    return this.checkpoints?.running ?? false;
  }

  meta(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The token required by the API when Stacktray listens beyond loopback; made on first run. */
  apiToken(): string {
    let token = this.meta('api_token');
    if (!token) {
      token = randomBytes(24).toString('base64url');
      this.setMeta('api_token', token);
    }
    return token;
  }

  /** A default project exists from the first run on. */
  ensureDefaultProject(): void {
    if (this.projects.list().length === 0) this.projects.create('default');
  }

  /** A clean close: the next open skips the integrity check (see db.ts). */
  close(): void {
    this.checkpoints?.stop();
    this.checkpoints = null;
    this.opened.close();
  }
}

export function openStore(file: string, dsnBase: () => string): Store {
  return new Store(openDatabase(file), dsnBase);
}
