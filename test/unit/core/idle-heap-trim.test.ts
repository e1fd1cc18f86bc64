import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
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

/** This process's anonymous resident memory (Linux): what the trim is for, seen from outside V8. */
function rssAnonBytes(): number {
  const kb = /RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (kb === undefined) throw new Error('no RssAnon in /proc/self/status');
  return Number(kb) * 1024;
}

describe('startIdleHeapTrim', () => {
  it.runIf(existsSync('/proc/self/status'))('gives new space back to the OS once this process has gone quiet', async () => {
    // Short-lived objects that survive a scavenge or two make V8 grow new space.
    let kept: number[][] = [];
    for (let round = 0; round < 400; round++) {
      kept.push(Array.from({ length: 2_000 }, (_, i) => i + round));
      if (kept.length > 60) kept = kept.slice(30);
    }
    kept = [];
    const grown = newSpaceBytes();
    expect(grown).toBeGreaterThanOrEqual(8 * MB);
    const anonBefore = rssAnonBytes();
    // V8's own memory reducer would return the pages some 10 s on, and so hide whether the trim
    // does; off, only the trim can.
    setFlagsFromString('--no-memory-reducer');
    const trim = startIdleHeapTrim(1_000);
    // The trim's schedule: two quiet checks, minor GCs until new space stops shrinking (V8 shrinks
    // it once its allocation rate over ~5 s is low), then the final full GC: ~6 checks of 1 s.
    // Node 24 keeps the pages new space gave up until that GC; Node 20 returns them at the minors.
    const deadline = Date.now() + 15_000;
    let shrunkBy = 0;
    let anonFellBy = 0;
    try {
      while (Date.now() < deadline && !(shrunkBy > grown / 2 && anonFellBy >= shrunkBy / 2)) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        shrunkBy = grown - newSpaceBytes();
        anonFellBy = anonBefore - rssAnonBytes();
      }
    } finally {
      trim.stop();
      setFlagsFromString('--memory-reducer');
    }
    expect(shrunkBy).toBeGreaterThan(grown / 2);
    // Resident memory falls by at least half of what new space gave up.
    expect(anonFellBy).toBeGreaterThanOrEqual(shrunkBy / 2);
  });
});
