/**
 * Which tags an issue aggregates from each of its events. Pure, and shared: the ingest pipeline
 * counts exactly these per issue, and the detail view shows exactly these, so every tag shown can
 * be clicked into a list filter that matches.
 */
import type { SentryEvent, TagPairs } from './event';

/** Level, release, environment and server first, then the event's own tags (first value wins). */
export function aggregatedTags(event: SentryEvent): TagPairs {
  const tags = new Map<string, string>([['level', event.level]]);
  if (event.release) tags.set('release', event.release);
  if (event.environment) tags.set('environment', event.environment);
  if (event.server_name) tags.set('server_name', event.server_name);
  for (const [key, value] of event.tags ?? []) if (!tags.has(key)) tags.set(key, value);
  return [...tags];
}
