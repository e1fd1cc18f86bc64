/**
 * Reference payloads (see payload-codec.ts): the ingest side finds a group's reference to
 * compress against, the read side finds a reference's bytes to decompress with.
 *
 * A group gets its reference from its second stored event (the ingest writer adopts it in the
 * batch's transaction): a group seen once costs no extra row. Only committed references are
 * handed out, read back from the database, so a rolled-back batch can leave none behind.
 */
import type { Db } from './db';
import type { PayloadReference, ReferenceData } from './payload-codec';

/** Bytes of reference payloads kept in memory for the ingest side; past that the oldest go. */
const CACHE_BUDGET_BYTES = 4 * 1024 * 1024;

export class PayloadReferences {
  private readonly cache = new Map<string, PayloadReference>();
  private cachedBytes = 0;
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      byGroup: db.prepare<[number, string], PayloadReference>('SELECT id, data FROM payload_references WHERE project_id = ? AND hash = ?'),
      forgetUnused: db.prepare(
        `DELETE FROM payload_references WHERE NOT EXISTS (
           SELECT 1 FROM issue_hashes h WHERE h.project_id = payload_references.project_id AND h.hash = payload_references.hash)`,
      ),
    };
  }

  /** The group's reference, when it has one. */
  of(projectId: number, hash: string): PayloadReference | null {
    const key = `${projectId}:${hash}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: the Map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const found = this.statements.byGroup.get(projectId, hash);
    if (!found) return null;
    this.cache.set(key, found);
    this.cachedBytes += found.data.length;
    for (const [oldKey, old] of this.cache) {
      if (this.cachedBytes <= CACHE_BUDGET_BYTES || old === found) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= old.data.length;
    }
    return found;
  }

  /**
   * After issues were deleted (with their hashes): drops the references no issue holds a hash of,
   * since no stored event can use them any more, and forgets what was cached.
   */
  forgetUnused(): void {
    this.statements.forgetUnused.run();
    this.clear();
  }

  /** Forgets what was cached (a project was deleted, and its references with it). */
  clear(): void {
    this.cache.clear();
    this.cachedBytes = 0;
  }
}

/** A reader of reference bytes by id for decodePayload, on its own prepared statement. */
export function referenceReader(db: Db): ReferenceData {
  const byId = db.prepare<[number], Buffer>('SELECT data FROM payload_references WHERE id = ?').pluck();
  return (id) => byId.get(id);
}
