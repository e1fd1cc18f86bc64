import { describe, expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const at = (fn: string | undefined, path: string, lineno: number, colno: number, inApp: boolean) => ({
  ...(fn ? { function: fn } : {}),
  filename: path,
  abs_path: path,
  lineno,
  colno,
  in_app: inApp,
});

describe('Node / V8 stacks', () => {
  test('async frames, oldest first', () => {
    expect(parseStack(readStack('node-async.txt'))).toEqual({
      runtime: 'node',
      exceptions: [{
        type: 'TaxServiceError',
        value: 'tax service unavailable for region EU',
        frames: [
          at('settle', '/tmp/stackgen/node/main.js', 6, 10, true),
          at('calculateTax', '/tmp/stackgen/node/lib/payments.js', 9, 10, true),
          at('lookupRate', '/tmp/stackgen/node/lib/payments.js', 6, 9, true),
        ],
      }],
    });
  });

  test('anonymous functions and node_modules frames', () => {
    expect(parseStack(readStack('node-sync.txt'))?.exceptions).toEqual([{
      type: 'TypeError',
      value: "Cannot read properties of undefined (reading 'toFixed')",
      frames: [
        at(undefined, '/tmp/stackgen/node/main.js', 11, 11, true),
        at('Object.run', '/tmp/stackgen/node/node_modules/fastq/queue.js', 1, 50, false),
        at(undefined, '/tmp/stackgen/node/main.js', 11, 30, true),
      ],
    }]);
  });

  test('native frames have no position and are not in-app', () => {
    expect(parseStack(readStack('node-native.txt'))?.exceptions[0]?.frames).toEqual([
      at(undefined, '/tmp/stackgen/node/main.js', 16, 9, true),
      { function: 'Array.map', filename: '<anonymous>', abs_path: '<anonymous>', in_app: false },
      at(undefined, '/tmp/stackgen/node/main.js', 16, 39, true),
      { function: 'JSON.parse', filename: '<anonymous>', abs_path: '<anonymous>', in_app: false },
    ]);
  });

  test('constructors and node:internal frames', () => {
    const [exception] = parseStack(readStack('node-toplevel.txt'))?.exceptions ?? [];
    expect(exception?.type).toBe('RangeError');
    expect(exception?.value).toBe('cart is empty');
    expect(exception?.frames.map((frame) => [frame.function, frame.filename, frame.lineno, frame.in_app])).toEqual([
      [undefined, 'node:internal/main/run_main_module', 28, false],
      ['Function.executeUserEntryPoint [as runMain]', 'node:internal/modules/run_main', 164, false],
      ['Module._load', 'node:internal/modules/cjs/loader', 1091, false],
      ['Module.load', 'node:internal/modules/cjs/loader', 1266, false],
      ['Module._extensions..js', 'node:internal/modules/cjs/loader', 1623, false],
      ['Module._compile', 'node:internal/modules/cjs/loader', 1521, false],
      ['Object.<anonymous>', '/tmp/stackgen/node/toplevel.js', 4, true],
      ['new Cart', '/tmp/stackgen/node/toplevel.js', 3, true],
    ]);
  });

  test('file:// URLs (ES modules) become paths; Promise.all indexes name no file', () => {
    const text = 'Error: boom\n    at async Promise.all (index 0)\n    at main (file:///srv/app/src/main.mjs:3:9)';
    expect(parseStack(text)?.exceptions[0]?.frames).toEqual([
      at('main', '/srv/app/src/main.mjs', 3, 9, true),
      { function: 'Promise.all', in_app: false },
    ]);
  });

  test('a multi-line message stays whole', () => {
    const parsed = parseStack('Error: first line\nsecond line\n    at run (/app/a.js:1:2)');
    expect(parsed?.exceptions[0]).toMatchObject({ type: 'Error', value: 'first line\nsecond line' });
  });
});
