/**
 * Which stored payloads of one busy issue to keep: the newest `tail` events (what it looks like
 * now: the latest event is always the latest), the first `head` (how it started) and a uniform
 * sample of everything in between. The
 * sample is a bottom-k sample over a hash of the row id: an event's priority never changes, so
 * a kept event stays kept until a higher-priority one arrives and the result is the same
 * uniform sample a reservoir over the whole stream would give, computed without any state.
 */

export interface IssueSampleLimits {
  /** Most payloads kept for one issue. */
  maxEvents: number;
  /** The oldest events always kept (within what the tail leaves). */
  head: number;
  /** The newest events always kept. */
  tail: number;
}

export const SAMPLE_HEAD = 100;
export const SAMPLE_TAIL = 10;

/**
 * The head and tail for a per-issue maximum. The tail comes first (up to half the room), the
 * sample between keeps a fifth of the room (up to 10), and the head takes the rest (at least the
 * first event): with 5 an issue keeps its first event, one from between and its newest 3; with 1,
 * only its newest; from 120 up, the first 100 and the newest 10.
 */
export function issueSampleLimits(maxEvents: number): IssueSampleLimits {
  const max = Math.max(1, Math.floor(maxEvents));
  const tail = Math.min(SAMPLE_TAIL, Math.ceil(max / 2));
  const sampleRoom = Math.min(SAMPLE_TAIL, Math.floor(max / 5));
  const head = Math.min(SAMPLE_HEAD, max - tail, Math.max(1, max - tail - sampleRoom));
  return { maxEvents: max, head, tail };
}

/**
 * The row ids to evict so that at most `limits.maxEvents` remain. `rowIds` are one issue's
 * stored events in ascending order (oldest first).
 */
export function planIssueEvictions(rowIds: readonly number[], limits: IssueSampleLimits): number[] {
  if (rowIds.length <= limits.maxEvents) return [];
  const middleStart = limits.head;
  const middleEnd = rowIds.length - limits.tail;
  const sampleSize = limits.maxEvents - limits.head - limits.tail;
  // Keep the `sampleSize` highest priorities: find the smallest kept one with a typed-array sort
  // (no per-event objects: an issue may hold tens of thousands of rows between passes).
  const priorities = new Float64Array(middleEnd - middleStart);
  for (let index = middleStart; index < middleEnd; index++) priorities[index - middleStart] = samplePriority(rowIds[index] ?? 0);
  const ascending = priorities.slice().sort();
  const threshold = sampleSize > 0 ? (ascending[ascending.length - sampleSize] ?? 0) : Number.POSITIVE_INFINITY;
  // Priorities may tie at the threshold: keep only as many of those as the sample has room for.
  let roomAtThreshold = 0;
  for (let index = ascending.length - sampleSize; index < ascending.length; index++) if (ascending[index] === threshold) roomAtThreshold++;
  const evict: number[] = [];
  for (let index = middleStart; index < middleEnd; index++) {
    const priority = priorities[index - middleStart] ?? 0;
    if (priority > threshold) continue;
    if (priority === threshold && roomAtThreshold > 0) {
      roomAtThreshold--;
      continue;
    }
    evict.push(rowIds[index] ?? 0);
  }
  return evict;
}

/** A well-mixed 32-bit hash of the row id (murmur3's finalizer): sequential ids get unrelated priorities. */
export function samplePriority(rowId: number): number {
  let h = (rowId ^ Math.floor(rowId / 0x1_0000_0000)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
