/**
 * The bytes that go upstream. An SDK's envelope is sent as it came, apart from the DSN in its
 * header (which named this Stacktray); events Stacktray made itself (store endpoint, OTLP) are
 * wrapped in a new envelope. Pure.
 */

const NEWLINE = 0x0a;

/** A new envelope holding each event payload as an `event` item. */
export function envelopeOfEvents(events: readonly { eventId: string; payload: string }[]): Buffer {
  const parts: Buffer[] = [];
  const first = events[0];
  parts.push(Buffer.from(`${JSON.stringify(first ? { event_id: first.eventId } : {})}\n`));
  for (const { payload } of events) {
    const bytes = Buffer.from(payload, 'utf8');
    parts.push(Buffer.from(`${JSON.stringify({ type: 'event', length: bytes.length })}\n`), bytes, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/**
 * The envelope with its header's `dsn` naming the upstream; every other byte unchanged. A header
 * without a `dsn` is left alone (the upstream's key travels in X-Sentry-Auth).
 */
export function withUpstreamDsn(envelope: Buffer, upstreamDsn: string): Buffer {
  const newline = envelope.indexOf(NEWLINE);
  const headerEnd = newline === -1 ? envelope.length : newline;
  const headerText = envelope.toString('utf8', 0, headerEnd);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    return envelope;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return envelope;
  const dsn = (header as Record<string, unknown>)['dsn'];
  if (typeof dsn !== 'string') return envelope;
  // Replace the value where it stands, so the header keeps its key order and spacing.
  const sent = JSON.stringify(dsn);
  const at = headerText.indexOf(sent);
  const replaced = at === -1
    ? JSON.stringify({ ...(header as Record<string, unknown>), dsn: upstreamDsn })
    : headerText.slice(0, at) + JSON.stringify(upstreamDsn) + headerText.slice(at + sent.length);
  return Buffer.concat([Buffer.from(replaced, 'utf8'), envelope.subarray(headerEnd)]);
}
