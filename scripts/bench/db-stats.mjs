// What the run left on disk: events stored (and whether every acknowledged id is among them),
// issues, file size and bytes per event. Read after the server stopped cleanly.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

export function databaseStats(dataDir, ackedIdsFile) {
  const file = join(dataDir, 'stacktray.db');
  const bytes = ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0);
  const db = new Database(file, { readonly: true });
  try {
    const events = db.prepare('SELECT count(*) AS n, coalesce(sum(length(payload)), 0) AS payload FROM events').get();
    // The groups' reference payloads (payload-codec.ts) count as payload bytes too.
    const references = db.prepare('SELECT coalesce(sum(length(data)), 0) FROM payload_references').pluck().get();
    const issues = db.prepare('SELECT count(*) AS n, coalesce(sum(count), 0) AS counted FROM issues').get();
    const integrity = db.pragma('quick_check', { simple: true });
    let missingAcked = null;
    // Retention keeps at most 1,000 payloads per issue and remembers the ids it evicted: an
    // acknowledged event is either stored or among those.
    const evicted = db.prepare('SELECT count(*) FROM evicted_events').pluck().get();
    if (ackedIdsFile && existsSync(ackedIdsFile)) {
      // By (project, event id), the unique indexes: every bench event goes to the default project.
      const projectId = db.prepare('SELECT min(id) FROM projects').pluck().get();
      const find = db
        .prepare('SELECT 1 FROM events WHERE project_id = @projectId AND event_id = @id UNION ALL SELECT 1 FROM evicted_events WHERE project_id = @projectId AND event_id = @id')
        .pluck();
      const ids = readFileSync(ackedIdsFile, 'utf8').split('\n').filter(Boolean);
      missingAcked = ids.filter((id) => find.get({ projectId, id }) === undefined).length;
    }
    return {
      events: events.n,
      evicted,
      issues: issues.n,
      issueCountSum: issues.counted,
      databaseBytes: bytes,
      bytesPerEvent: events.n ? Math.round(bytes / events.n) : null,
      payloadBytesPerEvent: events.n ? Math.round((events.payload + references) / events.n) : null,
      integrity,
      missingAcked,
    };
  } finally {
    db.close();
  }
}
