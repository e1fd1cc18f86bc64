import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../../src/renderer/lib/format';

const now = Date.parse('2026-03-01T12:00:00Z');
const at = (offsetSeconds: number) => new Date(now + offsetSeconds * 1000).toISOString();

describe('relative times', () => {
  it('says "just now" for the last 10 seconds and up to a minute ahead (clock skew)', () => {
    expect(relativeTime(at(-9), now)).toBe('just now');
    expect(relativeTime(at(0), now)).toBe('just now');
    expect(relativeTime(at(25), now)).toBe('just now');
    expect(relativeTime(at(60), now)).toBe('just now');
  });

  it('past times count back, times well ahead count forward', () => {
    expect(relativeTime(at(-10), now)).toBe('10s ago');
    expect(relativeTime(at(-125), now)).toBe('2min ago');
    expect(relativeTime(at(-3 * 86400), now)).toBe('3d ago');
    expect(relativeTime(at(61), now)).toBe('in 1min');
    expect(relativeTime(at(2 * 3600), now)).toBe('in 2h');
    expect(relativeTime('not a date', now)).toBe('—');
  });
});
