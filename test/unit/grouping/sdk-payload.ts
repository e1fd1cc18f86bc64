import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SentryEvent } from '../../../src/shared/event';

/**
 * Turns an SDK's event payload into the normalized event grouping receives, doing only what the
 * ingest normalizer does for these fields (tags as pairs, message as text, defaults). Kept minimal
 * on purpose: the grouping tests must not depend on the normalizer's other work.
 */
export function fromSdkPayload(raw: Record<string, unknown>): SentryEvent {
  const event = { ...raw } as unknown as SentryEvent & { tags?: unknown; message?: unknown };
  const tags = raw['tags'];
  if (tags && !Array.isArray(tags) && typeof tags === 'object') {
    event.tags = Object.entries(tags as Record<string, unknown>).map(([key, value]) => [key, String(value)]);
  }
  const message = raw['message'];
  if (message && typeof message === 'object') {
    const entry = message as { message?: string; formatted?: string; params?: unknown[] };
    event.logentry = { ...entry };
    event.message = entry.formatted ?? entry.message;
  }
  if (event.logentry && event.logentry.formatted === undefined && Array.isArray(event.logentry.params)) {
    // Printf-style templates (Python logging) are formatted by the normalizer; do the same here.
    const params = [...event.logentry.params];
    event.logentry.formatted = (event.logentry.message ?? '').replace(/%[sdrif]/g, () => String(params.shift()));
  }
  if (!event.message && event.logentry) event.message = event.logentry.formatted ?? event.logentry.message;
  if (raw['exception'] && Array.isArray(raw['exception'])) event.exception = { values: raw['exception'] as [] };
  event.event_id ??= '0'.repeat(32);
  event.platform ??= 'other';
  event.level ??= 'error';
  event.timestamp ??= 0;
  event.received ??= 0;
  return event;
}

export const FIXTURES = fileURLToPath(new URL('../../fixtures/sentry', import.meta.url));

export function loadFixture(relativePath: string): SentryEvent {
  return fromSdkPayload(JSON.parse(readFileSync(join(FIXTURES, relativePath), 'utf8')) as Record<string, unknown>);
}
