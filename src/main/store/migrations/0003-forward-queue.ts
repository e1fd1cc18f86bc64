import type { Db } from '../db';

/**
 * Forwarding to a project's upstream (the team's Sentry-compatible server).
 *
 * `projects.upstream_dsn`: where the project's envelopes are also sent; NULL when off.
 * `forward_queue`: envelopes accepted but not yet delivered, written in the same transaction as
 * the events they carry, so an acknowledged envelope is either queued or delivered.
 * `forward_state`: per project, what happened to the envelopes that left the queue, and when
 * sending may resume (a rate limit or a backoff after failures).
 */
export function forwardQueue(db: Db): void {
  db.exec(`
    ALTER TABLE projects ADD COLUMN upstream_dsn TEXT;

    CREATE TABLE forward_queue (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      body BLOB NOT NULL,
      size INTEGER NOT NULL,
      queued_at REAL NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX forward_queue_by_project ON forward_queue(project_id, id);

    CREATE TABLE forward_state (
      project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
      delivered INTEGER NOT NULL DEFAULT 0,
      last_delivered_at REAL,
      dropped_overflow INTEGER NOT NULL DEFAULT 0,
      dropped_rejected INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      last_error_at REAL,
      failures INTEGER NOT NULL DEFAULT 0,
      retry_at REAL
    ) STRICT;
  `);
}
