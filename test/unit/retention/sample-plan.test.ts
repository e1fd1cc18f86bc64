import { describe, expect, it } from 'vitest';
import { issueSampleLimits, planIssueEvictions, samplePriority } from '../../../src/main/store/retention/sample-plan';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, n) => from + n);
const kept = (ids: number[], max: number): number[] => {
  const evicted = new Set(planIssueEvictions(ids, issueSampleLimits(max)));
  return ids.filter((id) => !evicted.has(id));
};

describe('issueSampleLimits', () => {
  it('keeps the newest 10 and the first 100 when there is room, the newest first when there is not', () => {
    expect(issueSampleLimits(1000)).toEqual({ maxEvents: 1000, head: 100, tail: 10 });
    expect(issueSampleLimits(300)).toEqual({ maxEvents: 300, head: 100, tail: 10 });
    expect(issueSampleLimits(120)).toEqual({ maxEvents: 120, head: 100, tail: 10 });
    expect(issueSampleLimits(105)).toEqual({ maxEvents: 105, head: 85, tail: 10 });
    expect(issueSampleLimits(40)).toEqual({ maxEvents: 40, head: 22, tail: 10 });
    expect(issueSampleLimits(5)).toEqual({ maxEvents: 5, head: 1, tail: 3 });
    expect(issueSampleLimits(2)).toEqual({ maxEvents: 2, head: 1, tail: 1 });
    expect(issueSampleLimits(1)).toEqual({ maxEvents: 1, head: 0, tail: 1 });
    expect(issueSampleLimits(0)).toEqual({ maxEvents: 1, head: 0, tail: 1 });
  });
});

describe('planIssueEvictions', () => {
  it('keeps the newest events, the first and a sample between under a small limit', () => {
    const remaining = kept(range(1, 50), 5);
    expect(remaining).toHaveLength(5);
    expect(remaining[0]).toBe(1);
    expect(remaining.slice(2)).toEqual([48, 49, 50]);
    expect(remaining[1]).toBeGreaterThan(1);
    expect(remaining[1]).toBeLessThan(48);
    expect(kept(range(1, 50), 1)).toEqual([50]);
  });

  it('evicts nothing from an issue within its limit', () => {
    expect(planIssueEvictions(range(1, 300), issueSampleLimits(300))).toEqual([]);
  });

  it('keeps the head, the tail and a sample of the middle, exactly up to the limit', () => {
    const ids = range(1, 5000);
    const remaining = kept(ids, 300);
    expect(remaining).toHaveLength(300);
    expect(remaining.slice(0, 100)).toEqual(range(1, 100));
    expect(remaining.slice(-10)).toEqual(range(4991, 5000));
    const middle = remaining.slice(100, -10);
    expect(middle).toHaveLength(190);
    expect(middle.every((id) => id > 100 && id < 4991)).toBe(true);
  });

  it('spreads the sample over the whole middle rather than bunching it', () => {
    const remaining = kept(range(1, 100_110), 1110).slice(100, -10);
    const perDecile = Array.from({ length: 10 }, (_, decile) =>
      remaining.filter((id) => id > 100 + decile * 10_000 && id <= 100 + (decile + 1) * 10_000).length,
    );
    expect(perDecile.reduce((a, b) => a + b, 0)).toBe(1000);
    for (const count of perDecile) expect(count).toBeGreaterThan(60);
    for (const count of perDecile) expect(count).toBeLessThan(140);
  });

  it('is stable like a reservoir: sampling in two steps keeps what sampling once keeps', () => {
    const firstHalf = kept(range(1, 3000), 250);
    const inTwoSteps = kept([...firstHalf, ...range(3001, 6000)], 250);
    expect(inTwoSteps).toEqual(kept(range(1, 6000), 250));
  });

  it('accepts sparse, non-contiguous row ids', () => {
    const ids = range(1, 2000).map((n) => n * 7 + 3);
    const remaining = kept(ids, 150);
    expect(remaining).toHaveLength(150);
    expect(remaining.slice(0, 100)).toEqual(ids.slice(0, 100));
    expect(remaining.slice(-10)).toEqual(ids.slice(-10));
  });
});

describe('samplePriority', () => {
  it('gives neighbouring ids unrelated 32-bit priorities', () => {
    const priorities = range(1, 1000).map(samplePriority);
    expect(new Set(priorities).size).toBe(1000);
    expect(priorities.every((p) => Number.isInteger(p) && p >= 0 && p < 2 ** 32)).toBe(true);
    const increasing = priorities.filter((p, i) => i > 0 && p > (priorities[i - 1] ?? 0)).length;
    expect(increasing).toBeGreaterThan(400);
    expect(increasing).toBeLessThan(600);
  });
});
