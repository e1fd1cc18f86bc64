/** Deterministic event ids: a retried export yields the same ids, so the store keeps one copy. */
import { createHash } from 'node:crypto';
import type { ExceptionOccurrence } from './find-exceptions';
import { serviceName } from './resource-mapping';

export function otlpEventId(occurrence: ExceptionOccurrence): string {
  const { exception } = occurrence;
  const parts = [
    occurrence.signal,
    serviceName(occurrence.resource),
    occurrence.traceId,
    occurrence.spanId,
    occurrence.timeUnixNano,
    // Two identical records logged in the same tick (no trace id) are still two events.
    String(occurrence.itemIndex),
    exception.type ?? '',
    exception.message ?? '',
    exception.stacktrace ?? '',
  ];
  return createHash('md5').update(parts.join('\u0000')).digest('hex');
}
