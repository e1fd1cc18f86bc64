/** Reading AnyValues: arrays and kvlists nested VALUE_DEPTH (128) deep or deeper are dropped, and counted. */
import { describe, expect, it } from 'vitest';
import { readLogs } from '../../../src/main/ingest/otlp/read-otlp';
import { anyValue, attributes, emptyNotes, VALUE_DEPTH } from '../../../src/main/ingest/otlp/read-values';

/** `levels` kvlists ({k: …}) around a string, built in a loop (plain objects, as JSON.parse gives). */
function kvlists(levels: number): unknown {
  let value: unknown = { stringValue: 'bottom' };
  for (let level = 0; level < levels; level++) value = { kvlistValue: { values: [{ key: 'k', value }] } };
  return value;
}

function arrays(levels: number): unknown {
  let value: unknown = { stringValue: 'bottom' };
  for (let level = 0; level < levels; level++) value = { arrayValue: { values: [value, { intValue: '7' }] } };
  return value;
}

/** Objects or arrays below `value`, following `k` or `[0]`. */
function levels(value: unknown): number {
  let depth = 0;
  let cursor = value;
  while (typeof cursor === 'object' && cursor !== null) {
    cursor = Array.isArray(cursor) ? cursor[0] : (cursor as { k?: unknown }).k;
    depth++;
  }
  return depth;
}

describe('attribute values', () => {
  it('the limit is the stored payload depth', () => {
    expect(VALUE_DEPTH).toBe(128);
  });

  it('keep every level when the deepest container is at depth 127 (the map is depth 0)', () => {
    const notes = emptyNotes();
    const read = attributes([{ key: 'deep', value: kvlists(127) }, { key: 'after', value: { boolValue: true } }], 'attributes', notes);
    expect(levels(read['deep'])).toBe(127);
    expect(JSON.stringify(read).includes('"bottom"')).toBe(true);
    expect(read['after']).toBe(true);
    expect(notes).toEqual({ valuesCut: 0 });
  });

  it('drop a kvlist at depth 128 with its key, keep its siblings, and count it once', () => {
    const notes = emptyNotes();
    const read = attributes([{ key: 'deep', value: kvlists(50_000) }, { key: 'after', value: { stringValue: 'kept' } }], 'attributes', notes);
    expect(levels(read['deep'])).toBe(127);
    let innermost: unknown = read['deep'];
    for (let level = 1; level < 127; level++) innermost = (innermost as { k: unknown }).k;
    expect(innermost).toEqual({});
    expect(read['after']).toBe('kept');
    expect(notes).toEqual({ valuesCut: 1 });
  });

  it('replace an array at depth 128 with null, keeping the scalars beside it', () => {
    const notes = emptyNotes();
    const read = attributes([{ key: 'deep', value: arrays(50_000) }], 'attributes', notes);
    expect(levels(read['deep'])).toBe(127);
    let innermost: unknown = read['deep'];
    for (let level = 1; level < 127; level++) innermost = (innermost as unknown[])[0];
    expect(innermost).toEqual([null, 7]);
    expect(notes).toEqual({ valuesCut: 1 });
  });

  it('do not read (or check) what a dropped value holds', () => {
    const notes = emptyNotes();
    let value: unknown = { intValue: 'not a number' };
    for (let level = 0; level < 200; level++) value = { kvlistValue: { values: [{ key: 'k', value }] } };
    expect(levels(attributes([{ key: 'deep', value }], 'attributes', notes)['deep'])).toBe(127);
    expect(() => attributes([{ key: 'shallow', value: kvlists(1) }, { key: 'bad', value: { intValue: 'x' } }], 'a', emptyNotes())).toThrow(
      /^a\[1\]\.value\.intValue must be an integer$/,
    );
  });
});

describe('a log body', () => {
  it('is itself depth 0: 128 levels kept, the 129th dropped', () => {
    const notes = emptyNotes();
    expect(levels(anyValue(kvlists(128), 'body', notes))).toBe(128);
    expect(notes.valuesCut).toBe(0);
    expect(levels(anyValue(kvlists(129), 'body', notes))).toBe(128);
    expect(notes.valuesCut).toBe(1);
  });

  it('cuts are counted across a whole request', () => {
    const notes = emptyNotes();
    const record = { body: kvlists(500), attributes: [{ key: 'a', value: arrays(500) }, { key: 'b', value: kvlists(500) }] };
    const [batch] = readLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [record, record] }] }] }, notes);
    expect(levels(batch?.items[1]?.body)).toBe(128);
    expect(notes).toEqual({ valuesCut: 6 });
  });
});

describe('keys', () => {
  it('"__proto__" is an attribute like any other, not the map\'s prototype', () => {
    const read = attributes(
      [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'exception.type', value: { stringValue: 'Forged' } }] } } }],
      'attributes',
      emptyNotes(),
    );
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(read['exception.type']).toBeUndefined();
    expect(Object.keys(read)).toEqual(['__proto__']);
    expect(JSON.stringify(read)).toBe('{"__proto__":{"exception.type":"Forged"}}');
  });
});
