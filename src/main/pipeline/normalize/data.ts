/**
 * Free-form data (extra, contexts, frame vars, breadcrumb data): kept as JSON, with nesting cut at
 * a fixed depth and long strings shortened, so one event cannot carry an unbounded tree.
 */
import { NORMALIZE_LIMITS } from './limits';
import { isObject, truncate, type JsonObject } from './values';

/**
 * `depth` counts the containers already entered: a container found at `depth === maxDepth` is
 * removed (relay removes it too), scalars always survive.
 */
export function trimData(value: unknown, depth = 0, maxDepth: number = NORMALIZE_LIMITS.dataDepth): unknown {
  if (typeof value === 'string') return truncate(value, NORMALIZE_LIMITS.dataString);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) {
    if (depth >= maxDepth) return undefined;
    return value.map((item) => trimData(item, depth + 1, maxDepth) ?? null);
  }
  if (isObject(value)) {
    if (depth >= maxDepth) return undefined;
    return trimObjectEntries(value, depth + 1, maxDepth);
  }
  return undefined;
}

/** An object's entries trimmed; entries whose value does not survive are dropped. */
export function trimObjectEntries(value: JsonObject, depth: number, maxDepth: number = NORMALIZE_LIMITS.dataDepth): JsonObject {
  const out: JsonObject = {};
  // Keys and an indexed read, not Object.entries: no [key, value] array per entry. A "__proto__"
  // key from JSON.parse is an own property, so value[key] reads it, not the prototype.
  const keys = Object.keys(value);
  for (let at = 0; at < keys.length; at++) {
    const key = keys[at] as string;
    const trimmed = trimData(value[key], depth, maxDepth);
    if (trimmed !== undefined) setOwn(out, key, trimmed);
  }
  return out;
}

/** A free-form object field (extra, data, env): undefined unless it is an object. */
export function dataObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? trimObjectEntries(value, 1) : undefined;
}

/** Sets a key as an own property, also "__proto__" (plain assignment would change the prototype). */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
