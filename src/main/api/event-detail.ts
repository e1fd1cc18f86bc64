/** One stored event as the API shows it: normalized, grouped, with its raw payload and neighbours. */
import type { EventDetail } from '../../shared/api';
import type { ApiDeps } from './api-deps';
import { withinPayloadDepth } from '../pipeline/normalize/payload-depth';
import type { StoredEvent } from '../store/events-repo';

export function eventDetail(deps: ApiDeps, stored: StoredEvent): EventDetail {
  const { summary } = stored;
  const event = deps.normalizeStored(stored.payloadJson, Date.parse(summary.received) / 1000, summary.eventId);
  const grouping = deps.group(event, summary.projectId);
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
