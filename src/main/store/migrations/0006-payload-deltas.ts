import type { Db } from '../db';

/**
 * No table changes: payloads may now be stored as deltas against their group's reference
 * (marker 0x06, payload-delta.ts). A Stacktray from before this cannot read those, so the schema
 * version moves and such a Stacktray refuses the database with its "written by a newer
 * Stacktray" reason instead of failing on each of those events.
 */
export function payloadDeltas(_db: Db): void {}
