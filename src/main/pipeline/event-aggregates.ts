/** What an event adds to its issue's aggregates: the user it affected and the tags it counts. */
import type { SentryEvent } from '../../shared/event';

/** Identifies the affected user for the issue's user count (null when the event names none). */
export function userKey(event: SentryEvent): string | null {
  const user = event.user;
  if (!user) return null;
  if (user.id !== undefined && user.id !== '') return `id:${user.id}`;
  if (user.email) return `email:${user.email}`;
  if (user.username) return `username:${user.username}`;
  if (user.ip_address) return `ip:${user.ip_address}`;
  return null;
}

/** The tags an issue aggregates; the rule lives in src/shared so the UI shows the same set. */
export { aggregatedTags } from '../../shared/aggregated-tags';

/** The text the issue list's free-text search reads besides title and culprit: the latest event's message and exceptions. */
export function issueSearchText(event: SentryEvent): string {
  const parts: string[] = [];
  if (event.message) parts.push(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.type) parts.push(exception.type);
    if (exception.value) parts.push(exception.value);
  }
  return parts.join('\n').slice(0, 2000);
}
