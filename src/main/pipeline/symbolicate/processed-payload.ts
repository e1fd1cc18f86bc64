/**
 * The stored payload of a symbolicated event: resolved frames in `exception.values[].stacktrace`,
 * the frames as sent in `raw_stacktrace` (Sentry's convention), problems in `errors`. Stored so,
 * the event is resolved once at ingest and every later read (view, export, regroup) sees the same.
 */
import type { ExceptionValue, ProcessingError } from '../../../shared/event';

type Json = Record<string, unknown>;

export function processedPayload(payload: string, exceptions: ExceptionValue[] | undefined, problems: ProcessingError[]): string {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return payload;
  const event = raw as Json;
  if (exceptions) {
    const sent = event['exception'];
    const sentValues = isJson(sent) && Array.isArray(sent['values']) ? (sent['values'] as unknown[]) : undefined;
    if (sentValues && sentValues.length === exceptions.length) {
      exceptions.forEach((exception, index) => {
        const value = sentValues[index];
        if (!isJson(value) || !exception.raw_stacktrace) return;
        value['raw_stacktrace'] = value['stacktrace'] ?? exception.raw_stacktrace;
        value['stacktrace'] = exception.stacktrace;
      });
    } else {
      // A legacy shape (a bare list, `sentry.interfaces.Exception`): store the normalized values.
      delete event['sentry.interfaces.Exception'];
      event['exception'] = { values: exceptions };
    }
  }
  if (problems.length > 0) {
    const earlier = Array.isArray(event['errors']) ? (event['errors'] as unknown[]) : [];
    event['errors'] = [...earlier, ...problems];
  }
  return JSON.stringify(event);
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
