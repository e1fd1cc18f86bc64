/** The tags shown for an event. Pure. */
import type { SentryEvent, TagPairs } from '../../shared/event';

/**
 * The same set the core aggregates per issue (level, release, environment, server, then the event's
 * own), so every tag shown can be clicked into a list filter that matches.
 */
export function eventTags(event: SentryEvent): TagPairs {
  const tags = new Map<string, string>([['level', event.level]]);
  if (event.release) tags.set('release', event.release);
  if (event.environment) tags.set('environment', event.environment);
  if (event.server_name) tags.set('server_name', event.server_name);
  for (const [key, value] of event.tags ?? []) if (!tags.has(key)) tags.set(key, value);
  return [...tags];
}
