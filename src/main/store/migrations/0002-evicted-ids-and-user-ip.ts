import type { Db } from '../db';

/**
 * `evicted_events`: the ids of events whose payload retention evicted, so that an SDK re-sending
 * one is still answered as a duplicate and not counted again (the live rows' unique index no
 * longer holds it). Rows are in eviction order (rowid), which pruning by age and count relies on.
 *
 * `events.user_ip`: the user.ip_address the event was normalized with at ingest, which for an
 * SDK's `{{auto}}` placeholder is the sender's address: the stored payload keeps the placeholder.
 */
export function evictedIdsAndUserIp(db: Db): void {
  db.exec(`
    CREATE TABLE evicted_events (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      event_id TEXT NOT NULL,
      evicted_at REAL NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX evicted_events_by_event_id ON evicted_events(project_id, event_id);

    ALTER TABLE events ADD COLUMN user_ip TEXT;
  `);
}
