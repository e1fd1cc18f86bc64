/** MinuteRateLimiter with a hand-driven clock: what is admitted, what is counted, when it resets. */
import { describe, expect, it } from 'vitest';
import { MinuteRateLimiter } from '../../../src/main/core/rate-limiter';

/** 10 s into a minute window. */
const START = 1_764_000_000_000 - (1_764_000_000_000 % 60_000) + 10_000;

function limiter(limit: number): { limiter: MinuteRateLimiter; clock: { now: number } } {
  const clock = { now: START };
  return { limiter: new MinuteRateLimiter(() => limit, () => clock.now), clock };
}

describe('MinuteRateLimiter', () => {
  it('admits up to the limit per project, then answers the seconds left in the window', () => {
    const { limiter: rate } = limiter(3);
    expect([rate.retryAfter(1), rate.retryAfter(1), rate.retryAfter(1), rate.retryAfter(1)]).toEqual([null, null, null, 50]);
    // Another project has a budget of its own.
    expect(rate.retryAfter(2)).toBeNull();
  });

  it('admits a batch whole or refuses it whole, and a refusal counts nothing', () => {
    const { limiter: rate } = limiter(5);
    expect(rate.retryAfter(1, 3)).toBeNull();
    expect(rate.retryAfter(1, 3)).toBe(50);
    expect(rate.retryAfter(1, 3)).toBe(50);
    // The refused batches left the 2 remaining events untouched.
    expect([rate.retryAfter(1, 2), rate.retryAfter(1)]).toEqual([null, 50]);
  });

  it('an empty window admits one batch larger than the limit, so it is not refused forever', () => {
    const { limiter: rate, clock } = limiter(5);
    expect([rate.retryAfter(1, 8), rate.retryAfter(1)]).toEqual([null, 50]);
    clock.now = START + 50_000;
    // A new window, but one event in: the large batch must wait for an empty window again.
    expect([rate.retryAfter(1), rate.retryAfter(1, 8)]).toEqual([null, 60]);
  });

  it('refusals at the limit do not carry into the next window', () => {
    const { limiter: rate, clock } = limiter(2);
    expect([rate.retryAfter(1, 2), rate.retryAfter(1), rate.retryAfter(1)]).toEqual([null, 50, 50]);
    clock.now = START + 50_000;
    expect([rate.retryAfter(1), rate.retryAfter(1), rate.retryAfter(1)]).toEqual([null, null, 60]);
  });

  it('rounds the wait up to whole seconds, at least 1', () => {
    const { limiter: rate, clock } = limiter(1);
    clock.now = START + 49_500;
    expect([rate.retryAfter(1), rate.retryAfter(1)]).toEqual([null, 1]);
    clock.now = START + 40_200;
    expect(rate.retryAfter(1)).toBe(10);
  });

  it('a limit of 0 admits everything', () => {
    const { limiter: rate } = limiter(0);
    expect(Array.from({ length: 1000 }, () => rate.retryAfter(1, 50)).every((wait) => wait === null)).toBe(true);
  });

  it('reads the limit on every call, so a settings change applies at once', () => {
    let limit = 1;
    const rate = new MinuteRateLimiter(() => limit, () => START);
    expect([rate.retryAfter(1), rate.retryAfter(1)]).toEqual([null, 50]);
    limit = 3;
    expect([rate.retryAfter(1, 2), rate.retryAfter(1)]).toEqual([null, 50]);
  });
});
