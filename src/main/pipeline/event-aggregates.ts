/** What an event adds to its issue's aggregates: the user it affected and the tags it counts. */
import type { SentryEvent } from '../../shared/event';

/** Identifies the affected user for the user count (null when the event names none). */
export function userKey(event: SentryEvent): string | null {
  const user = event.user;
  if (!user) return null;
  if (user.id !== undefined && user.id !== '') return `id:${user.id}`;
  if (user.email) return `email:${user.email}`;
  if (user.username) return `username:${user.username}`;
  if (user.ip_address) return `ip:${user.ip_address}`;
  return null;
}

/** The tags an issue aggregates: level, release, environment, server, then the event's own. */
export function aggregatedTags(event: SentryEvent): [string, string][] {
  const tags = new Map<string, string>();
  tags.set('level', event.level);
  if (event.release) tags.set('release', event.release);
  if (event.environment) tags.set('environment', event.environment);
  if (event.server_name) tags.set('server_name', event.server_name);
  for (const [key, value] of event.tags ?? []) if (!tags.has(key)) tags.set(key, value);
  return [...tags];
}
