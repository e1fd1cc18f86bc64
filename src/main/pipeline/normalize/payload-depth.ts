/**
 * Bounds the nesting of a payload that is about to be serialized. JSON.parse reads any depth, but
 * JSON.stringify and every recursive reader after it (the API's response, the renderer's raw view)
 * overflow the stack a few thousand levels down. Payloads are stored as sent (walking every event
 * at ingest cost ~34 µs each, for a case only a hostile client produces); the places that
 * serialize a parsed payload cut it here first.
 */
import { setOwn } from './data';
import { NORMALIZE_LIMITS } from './limits';
import type { JsonObject } from './values';

/** True when an object or array sits at `maxDepth` or deeper (the root is at depth 0). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth <= 0) return true;
  // Object.values, not for…in with indexing: a "__proto__" key from JSON.parse is an own property.
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => nestsDeeperThan(child, maxDepth - 1));
}

/**
 * A copy without the objects and arrays at `maxDepth` or deeper, removed as the normalizer removes
 * them from free-form data: an object drops the key, an array keeps a null in its place.
 */
export function cutAtDepth(value: unknown, maxDepth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (maxDepth <= 0) return undefined;
  if (Array.isArray(value)) return value.map((item) => cutAtDepth(item, maxDepth - 1) ?? null);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = cutAtDepth(item, maxDepth - 1);
    if (kept !== undefined) setOwn(out, key, kept);
  }
  return out;
}

/** `value`, or a copy cut at the payload depth when it nests deeper (see cutAtDepth). */
export function withinPayloadDepth(value: unknown, maxDepth: number = NORMALIZE_LIMITS.payloadDepth): unknown {
  return nestsDeeperThan(value, maxDepth) ? cutAtDepth(value, maxDepth) : value;
}
