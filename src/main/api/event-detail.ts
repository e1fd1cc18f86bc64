/** One stored event as the API shows it: normalized, grouped, with its raw payload and neighbours. */
import type { EventDetail } from '../../shared/api';
import type { ApiDeps } from './api-deps';
import { withinPayloadDepth } from '../pipeline/normalize/payload-depth';
import { withDiskContext } from '../sources/disk-context';
import type { StoredEvent } from '../store/events-repo';

export async function eventDetail(deps: ApiDeps, stored: StoredEvent): Promise<EventDetail> {
  const { summary } = stored;
  const normalized = deps.normalizeStored(stored.payloadJson, Date.parse(summary.received) / 1000, summary.eventId);
  const grouping = deps.group(normalized, summary.projectId);
  // Lines read from disk are added for the reader only: grouping, `raw` and exports never see them.
  const event = await withDiskContext(normalized, deps.sources.reader);
  let raw: unknown;
  try {
    raw = JSON.parse(stored.payloadJson);
  } catch {
    raw = stored.payloadJson;
  }
  // A payload is stored as sent and may nest deeper than the response serializer's stack allows.
  raw = withinPayloadDepth(raw);
  return {
    ...summary,
    event,
    raw,
    attachments: deps.store.events.attachments(summary.projectId, summary.eventId),
    grouping: { config: grouping.config, variants: grouping.variants },
    ...deps.store.events.neighbours(summary.issueId, stored.rowId),
  };
}

/** An event id as a client may write it (dashes, upper case) in the form the store keeps. */
export const storedEventId = (eventId: string) => eventId.replaceAll('-', '').toLowerCase();
