/** Measuring how deep a stored payload goes, for the deep-nesting tests. */

/** Levels of nesting below `start`, following `step` while it yields an object or array. */
export function levelsBelow(start: unknown, step: (value: object) => unknown = byLevel): number {
  let depth = 0;
  let cursor = start;
  while (typeof cursor === 'object' && cursor !== null) {
    cursor = step(cursor);
    depth++;
  }
  return depth;
}

/** `{ level: { level: … } }`, the shape the Sentry deep-nesting tests send. */
export const byLevel = (value: object): unknown => (value as { level?: unknown }).level;
