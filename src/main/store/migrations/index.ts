/** Schema migrations in order: migration N brings user_version N-1 to N. Never edit a released one. */
import type { Db } from '../db';
import { initialSchema } from './0001-initial';
import { evictedIdsAndUserIp } from './0002-evicted-ids-and-user-ip';
import { forwardQueue } from './0003-forward-queue';
import { resolvedInRelease } from './0004-resolved-in-release';
import { payloadReferences } from './0005-payload-references';
import { payloadDeltas } from './0006-payload-deltas';

export type Migration = (db: Db) => void;

export const MIGRATIONS: readonly Migration[] = [initialSchema, evictedIdsAndUserIp, forwardQueue, resolvedInRelease, payloadReferences, payloadDeltas];
