import { randomUUID } from 'node:crypto';

/** A 32-hex event id from a UUID in any common spelling (dashes, braces, upper case); else undefined. */
export function parseEventId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.trim().replace(/^\{|\}$/g, '').replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) && hex !== '0'.repeat(32) ? hex : undefined;
}

export function newEventId(): string {
  return randomUUID().replace(/-/g, '');
}
