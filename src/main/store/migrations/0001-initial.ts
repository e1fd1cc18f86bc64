import type { Db } from '../db';

export function initialSchema(db: Db): void {
  db.exec(`
    CREATE TABLE projects (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      public_key TEXT NOT NULL UNIQUE,
      key_enabled INTEGER NOT NULL DEFAULT 1,
      webhook_url TEXT,
      fingerprint_rules TEXT NOT NULL DEFAULT '',
      created_at REAL NOT NULL
    ) STRICT;

    CREATE TABLE issues (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      culprit TEXT NOT NULL,
      message TEXT NOT NULL,
      level TEXT NOT NULL,
      platform TEXT NOT NULL,
      metadata TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'unresolved',
      resolved_at REAL,
      resolved_in_next_release INTEGER NOT NULL DEFAULT 0,
      is_regression INTEGER NOT NULL DEFAULT 0,
      ever_resolved INTEGER NOT NULL DEFAULT 0,
      count INTEGER NOT NULL DEFAULT 0,
      user_count INTEGER NOT NULL DEFAULT 0,
      first_seen REAL NOT NULL,
      last_seen REAL NOT NULL,
      first_release TEXT,
      last_release TEXT
    ) STRICT;
    CREATE INDEX issues_by_last_seen ON issues(last_seen DESC, id DESC);
    CREATE INDEX issues_by_first_seen ON issues(first_seen DESC, id DESC);
    CREATE INDEX issues_by_count ON issues(count DESC, id DESC);
    CREATE INDEX issues_by_project ON issues(project_id, status, last_seen DESC);
    CREATE INDEX issues_by_status ON issues(status, last_seen DESC);

    CREATE TABLE issue_hashes (
      project_id INTEGER NOT NULL,
      hash TEXT NOT NULL,
      config TEXT NOT NULL,
      issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
      PRIMARY KEY (project_id, hash)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX issue_hashes_by_issue ON issue_hashes(issue_id);

    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL,
      issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
      event_id TEXT NOT NULL,
      hash TEXT NOT NULL,
      timestamp REAL NOT NULL,
      received REAL NOT NULL,
      release TEXT,
      environment TEXT,
      level TEXT NOT NULL,
      title TEXT NOT NULL,
      payload BLOB NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX events_by_event_id ON events(project_id, event_id);
    CREATE INDEX events_by_issue ON events(issue_id, id);

    CREATE TABLE issue_users (
      issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
      user_key TEXT NOT NULL,
      PRIMARY KEY (issue_id, user_key)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE issue_tags (
      issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (issue_id, key, value)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX issue_tags_by_value ON issue_tags(key, value);

    CREATE TABLE issue_hourly (
      issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
      hour INTEGER NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (issue_id, hour)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE releases (
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      version TEXT NOT NULL,
      first_seen REAL NOT NULL,
      PRIMARY KEY (project_id, version)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE attachments (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      event_id TEXT NOT NULL,
      filename TEXT NOT NULL,
      content_type TEXT NOT NULL,
      attachment_type TEXT NOT NULL,
      size INTEGER NOT NULL,
      data BLOB NOT NULL
    ) STRICT;
    CREATE INDEX attachments_by_event ON attachments(project_id, event_id);

    CREATE TABLE item_counts (
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      day TEXT NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (project_id, type, day)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE alerts (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      issue_id INTEGER,
      project_id INTEGER,
      title TEXT NOT NULL,
      at REAL NOT NULL
    ) STRICT;

    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
