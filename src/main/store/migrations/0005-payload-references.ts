import type { Db } from '../db';

/**
 * `payload_references`: per group (project and primary grouping hash), one earlier payload the
 * group's later events are compressed against (payload-codec.ts). A row lives as long as an issue
 * holds its hash (events record that hash, and move only together with it), and goes with its project.
 */
export function payloadReferences(db: Db): void {
  db.exec(`
    CREATE TABLE payload_references (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      hash TEXT NOT NULL,
      data BLOB NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX payload_references_by_hash ON payload_references(project_id, hash);
  `);
}
