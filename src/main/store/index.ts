/** The store: one SQLite database and the repositories that own its statements. */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from './db';
import { ProjectsRepo } from './projects-repo';
import { IssuesRepo } from './issues-repo';
import { EventsRepo } from './events-repo';
import { IngestWriter } from './ingest-writer';
import { IssueHashCache } from './issue-hash-cache';

export class Store {
  readonly projects: ProjectsRepo;
  readonly issues: IssuesRepo;
  readonly events: EventsRepo;
  readonly writer: IngestWriter;
  readonly issueHashes = new IssueHashCache();

  constructor(readonly db: Db, readonly movedAsideTo: string | null, dsnBase: () => string) {
    this.projects = new ProjectsRepo(db, dsnBase);
    this.issues = new IssuesRepo(db);
    this.events = new EventsRepo(db);
    this.writer = new IngestWriter(db, this.issueHashes);
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

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openStore(file: string, dsnBase: () => string): Store {
  const { db, movedAsideTo } = openDatabase(file);
  return new Store(db, movedAsideTo, dsnBase);
}
