/** The stored payload's nesting bound: cut only when too deep, cut exactly at the limit. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NORMALIZE_LIMITS } from '../../../src/main/pipeline/normalize/limits';
import { cutAtDepth, nestsDeeperThan, withinPayloadDepth } from '../../../src/main/pipeline/normalize/payload-depth';

/** `{"a":{"a":…"leaf"}}` with `levels` objects. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}"leaf"${'}'.repeat(levels)}`;
}

/** Containers on the way down, following the first child of each. */
function levels(value: unknown): number {
  let count = 0;
  let cursor = value;
  while (typeof cursor === 'object' && cursor !== null) {
    count++;
    cursor = Array.isArray(cursor) ? cursor[0] : Object.values(cursor)[0];
  }
  return count;
}

describe('nestsDeeperThan', () => {
  it('counts the root as the first level', () => {
    expect(nestsDeeperThan(JSON.parse(nested(3)), 3)).toBe(false);
    expect(nestsDeeperThan(JSON.parse(nested(4)), 3)).toBe(true);
    expect(nestsDeeperThan([[[1]]], 3)).toBe(false);
    expect(nestsDeeperThan([[[[]]]], 3)).toBe(true);
  });

  it('scalars have no depth', () => {
    for (const scalar of ['text', 1, true, null]) expect(nestsDeeperThan(scalar, 0)).toBe(false);
  });

  it('finds depth under any key, also an own "__proto__" key', () => {
    const value = JSON.parse('{"x":1,"__proto__":{"y":{"z":{}}}}') as unknown;
    expect(nestsDeeperThan(value, 3)).toBe(true);
    expect(nestsDeeperThan(value, 4)).toBe(false);
  });
});

describe('cutAtDepth', () => {
  it('drops an object key and nulls an array entry that would go past the limit', () => {
    const value = { keep: 'scalar', inner: { deeper: { gone: 1 }, stays: 2 }, list: [1, [2, [3]], 'x'] };
    expect(cutAtDepth(value, 2)).toEqual({ keep: 'scalar', inner: { stays: 2 }, list: [1, null, 'x'] });
  });

  it('leaves scalars as they are: no string shortening, unlike free-form data', () => {
    const long = 'y'.repeat(20_000);
    expect(cutAtDepth({ long, n: 1.5, b: false, z: null }, 1)).toEqual({ long, n: 1.5, b: false, z: null });
  });

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const cut = cutAtDepth(JSON.parse('{"__proto__":{"polluted":true,"deep":{}}}'), 2) as Record<string, unknown>;
    expect(Object.getPrototypeOf(cut)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(cut, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('never nests deeper than the limit, and changes nothing that is within it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 6 }), (value, limit) => {
        const cut = cutAtDepth(value, limit);
        expect(nestsDeeperThan(cut, limit)).toBe(false);
        if (!nestsDeeperThan(value, limit)) expect(cut).toEqual(value);
      }),
    );
  });
});

describe('withinPayloadDepth', () => {
  it('returns the very value when the nesting is within the limit', () => {
    const value = JSON.parse(`{ "spacing": "kept", "deep": ${nested(NORMALIZE_LIMITS.payloadDepth - 1)} }`) as unknown;
    expect(withinPayloadDepth(value)).toBe(value);
  });

  it(`cuts a payload nested 100,000 levels at ${NORMALIZE_LIMITS.payloadDepth}, and the result serializes and parses`, () => {
    const cut = withinPayloadDepth(JSON.parse(nested(100_000)));
    const text = JSON.stringify(cut);
    // The object at the last kept level lost its deeper child, so it is empty.
    expect(levels(JSON.parse(text))).toBe(NORMALIZE_LIMITS.payloadDepth);
    expect(text).toBe(`${'{"a":'.repeat(NORMALIZE_LIMITS.payloadDepth - 1)}{}${'}'.repeat(NORMALIZE_LIMITS.payloadDepth - 1)}`);
  });

  it('cuts at a given limit', () => {
    expect(JSON.stringify(withinPayloadDepth(JSON.parse('{"a":[{"b":{"c":1}},2],"d":"e"}'), 3))).toBe('{"a":[{},2],"d":"e"}');
  });
});
