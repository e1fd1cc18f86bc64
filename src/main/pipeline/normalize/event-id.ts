import { randomUUID } from 'node:crypto';

const PLAIN_ID = /^[0-9a-f]{32}$/;
const NIL_ID = '0'.repeat(32);

/** A 32-hex event id from a UUID in any common spelling (dashes, braces, upper case); else undefined. */
export function parseEventId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // SDKs send the plain form: it needs no copy made.
  if (PLAIN_ID.test(value)) return value !== NIL_ID ? value : undefined;
  const hex = value.trim().replace(/^\{|\}$/g, '').replace(/-/g, '').toLowerCase();
  return PLAIN_ID.test(hex) && hex !== NIL_ID ? hex : undefined;
}

export function newEventId(): string {
  return randomUUID().replace(/-/g, '');
}
