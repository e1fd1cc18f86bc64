import { describe, expect, it } from 'vitest';
import { newSpaceBytes, startIdleHeapTrim, TrimPolicy } from '../../../src/main/core/idle-heap-trim';

const MB = 1024 * 1024;

describe('TrimPolicy', () => {
  it('waits for two quiet checks, shrinks with minor GCs until new space stops shrinking, then runs one major GC', () => {
    const policy = new TrimPolicy();
    expect(policy.check(0.5, 8 * MB)).toBeNull();
    expect(policy.check(0.01, 8 * MB)).toBeNull();
    expect(policy.check(0.01, 8 * MB)).toBe('minor');
    expect(policy.check(0.01, 8 * MB)).toBe('minor');
    expect(policy.check(0.01, 2 * MB)).toBe('minor');
    expect(policy.check(0.01, 1 * MB)).toBe('minor');
    expect(policy.check(0.01, 1 * MB)).toBe('major');
    expect(policy.check(0.01, 1 * MB)).toBeNull();
    expect(policy.check(0.01, 1 * MB)).toBeNull();
  });

  it('gives up on minor GCs after six that did not shrink new space', () => {
    const policy = new TrimPolicy();
    policy.check(0, 8 * MB);
    const steps = Array.from({ length: 8 }, () => policy.check(0, 8 * MB));
    expect(steps).toEqual(['minor', 'minor', 'minor', 'minor', 'minor', 'minor', 'major', null]);
  });

  it('starts over when the process has been busy again, and never collects while busy', () => {
    const policy = new TrimPolicy();
    policy.check(0, 8 * MB);
    policy.check(0, 8 * MB);
    policy.check(0, 2 * MB);
    expect(policy.check(0, 2 * MB)).toBe('major');
    expect(policy.check(0.3, 8 * MB)).toBeNull();
    expect(policy.check(0.03, 8 * MB)).toBeNull();
    expect(policy.check(0, 8 * MB)).toBeNull();
    expect(policy.check(0, 8 * MB)).toBe('minor');
  });
});

describe('startIdleHeapTrim', () => {
  it('gives new space back once this process has gone quiet', async () => {
    // Short-lived objects that survive a scavenge or two make V8 grow new space.
    let kept: number[][] = [];
    for (let round = 0; round < 400; round++) {
      kept.push(Array.from({ length: 2_000 }, (_, i) => i + round));
      if (kept.length > 60) kept = kept.slice(30);
    }
    kept = [];
    const grown = newSpaceBytes();
    expect(grown).toBeGreaterThanOrEqual(8 * MB);
    const trim = startIdleHeapTrim(1_000);
    try {
      // V8 shrinks new space once its allocation rate over ~5 s is low: the trim's minor GCs find it so.
      while (newSpaceBytes() >= grown / 2) await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      trim.stop();
    }
    expect(newSpaceBytes()).toBeLessThan(grown / 2);
  });
});
