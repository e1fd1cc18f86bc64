/** Reading a stored event back as the normalized event ingest grouped (merge, unmerge, fingerprints). */
import type { SentryEvent } from '../../shared/event';
import { decodePayload, type ReferenceData } from './payload-codec';
import { resolveAutoIp } from './auto-ip';

/** The columns of `events` an event is normalized again from. */
export interface StoredEventRow {
  event_id: string;
  received: number;
  payload: Buffer;
  user_ip: string | null;
}

export type NormalizeStored = (payloadJson: string, received: number, eventId: string) => SentryEvent;

/** `referenceData`: see payload-references.ts (referenceReader). */
export function normalizeStoredRow(normalize: NormalizeStored, row: StoredEventRow, referenceData: ReferenceData): SentryEvent {
  return normalize(resolveAutoIp(decodePayload(row.payload, referenceData), row.user_ip), row.received, row.event_id);
}
