/**
 * From a framed envelope to what the sink takes: events normalized, attachments tied to their
 * event, everything else counted by type. A well-framed item with a bad payload is skipped with a
 * reason and the rest kept, as relay does.
 */
import type { Envelope, EnvelopeItem } from '../../envelope/parse';
import { parseEventId } from '../../pipeline/normalize/event-id';
import { normalizeEvent } from '../../pipeline/normalize';
import type { IncomingAttachment, IncomingEnvelope, IncomingEvent } from '../ingest-sink';

/** Item types Sentry defines that are not error events: counted, not stored as events. */
export const COUNTED_ITEM_TYPES = new Set([
  'transaction',
  'session',
  'sessions',
  'client_report',
  'user_report',
  'feedback',
  'check_in',
  'log',
  'otel_log',
  'span',
  'otel_span',
  'profile',
  'profile_chunk',
  'replay_event',
  'replay_recording',
  'replay_video',
  'statsd',
  'metric_buckets',
  'metric_meta',
  'trace_metric',
  'security',
  'raw_security',
  'nel',
  'form_data',
  'unreal_report',
]);

export interface ItemContext {
  /** Seconds since the epoch (float). */
  receivedAt: number;
  maxEventBytes: number;
  clientIp?: string;
}

export type EnvelopeContents = Omit<IncomingEnvelope, 'projectId'> & {
  /** One line per item that was dropped, for the request log. */
  skipped: string[];
};

export function readEnvelopeItems(envelope: Envelope, ctx: ItemContext): EnvelopeContents {
  const headerEventId = parseEventId(envelope.header['event_id']);
  const events: IncomingEvent[] = [];
  const attachments: IncomingAttachment[] = [];
  const otherItems: Record<string, number> = {};
  const skipped: string[] = [];
  envelope.items.forEach((item, index) => {
    const type = item.header.type;
    if (type === 'event') {
      const read = readEventPayload(item.payload, ctx, headerEventId, item.header['platform']);
      if (typeof read === 'string') skipped.push(`item ${index} (event): ${read}`);
      else events.push(read);
    } else if (type === 'attachment') {
      attachments.push(attachmentFrom(item));
    } else if (COUNTED_ITEM_TYPES.has(type)) {
      otherItems[type] = (otherItems[type] ?? 0) + itemCount(item);
    } else {
      skipped.push(`item ${index}: unknown item type "${type.slice(0, 64)}"`);
    }
  });
  const contents: EnvelopeContents = { events, otherItems, skipped };
  const owner = events[0];
  if (owner) owner.attachments.push(...attachments);
  else if (attachments.length > 0 && headerEventId) {
    contents.looseAttachments = attachments.map((attachment) => ({ eventId: headerEventId, attachment }));
  } else if (attachments.length > 0) {
    skipped.push(`${attachments.length} attachment(s) without an event or an event_id in the envelope header`);
  }
  return contents;
}

/** One event payload: normalized, or the reason it was skipped. */
export function readEventPayload(
  payload: Buffer,
  ctx: ItemContext,
  eventIdFallback?: string,
  platformFallback?: unknown,
): IncomingEvent | string {
  if (payload.length > ctx.maxEventBytes) return `event is ${payload.length} bytes, over the limit of ${ctx.maxEventBytes}`;
  const text = payload.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'event payload is not valid JSON';
  }
  const result = normalizeEvent(raw, {
    receivedAt: ctx.receivedAt,
    ...(eventIdFallback !== undefined && { eventIdFallback }),
    ...(typeof platformFallback === 'string' && { platformFallback }),
    ...(ctx.clientIp !== undefined && { clientIp: ctx.clientIp }),
  });
  if (!result.ok) return result.reason;
  // Kept as sent: whatever reads it back and serializes it cuts its depth first (payload-depth.ts).
  return { event: result.event, payload: text, attachments: [] };
}

function attachmentFrom(item: EnvelopeItem): IncomingAttachment {
  const header = item.header;
  return {
    filename: stringOr(header['filename'], 'attachment'),
    contentType: stringOr(header['content_type'], 'application/octet-stream'),
    attachmentType: stringOr(header['attachment_type'], 'event.attachment'),
    data: item.payload,
  };
}

/** Batched items (logs, spans) say how many records they hold. */
function itemCount(item: EnvelopeItem): number {
  const count = item.header['item_count'];
  return typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 1;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
