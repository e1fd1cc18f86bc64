import { GenMapping, addMapping, setSourceContent, toEncodedMap } from '@jridgewell/gen-mapping';
import { describe, expect, it } from 'vitest';
import type { SentryEvent } from '../../../src/shared/event';
import { enclosingFunctionName, mapRequests, readableSourceName, symbolicateEvent } from '../../../src/main/pipeline/symbolicate';
import { processedPayload } from '../../../src/main/pipeline/symbolicate/processed-payload';
import { parseSourceMap, sourceMappingUrl, inlineMap } from '../../../src/main/sources/source-map-text';

// A hand-made map: minified line 1 holds `function a(){b()}function b(){throw …}` of two source lines each.
function sampleMap(): string {
  const gen = new GenMapping({ file: 'app.min.js' });
  setSourceContent(gen, 'webpack://shop/./src/cart.js', 'function checkout() {\n  applyDiscount();\n}\nfunction applyDiscount() {\n  throw new Error("x");\n}\n');
  addMapping(gen, { generated: { line: 1, column: 0 }, source: 'webpack://shop/./src/cart.js', original: { line: 1, column: 0 } });
  addMapping(gen, { generated: { line: 1, column: 13 }, source: 'webpack://shop/./src/cart.js', original: { line: 2, column: 2 }, name: 'applyDiscount' });
  addMapping(gen, { generated: { line: 1, column: 30 }, source: 'webpack://shop/./src/cart.js', original: { line: 5, column: 2 } });
  return JSON.stringify(toEncodedMap(gen));
}

function event(frames: SentryEvent['exception']): SentryEvent {
  return { event_id: 'a'.repeat(32), timestamp: 1, received: 1, platform: 'javascript', level: 'error', exception: frames };
}

const minified = event({
  values: [
    {
      type: 'Error',
      stacktrace: {
        frames: [
          { filename: 'http://localhost:5173/app.min.js?t=1', function: 'a', lineno: 1, colno: 14, in_app: true },
          { filename: 'http://localhost:5173/app.min.js?t=1', function: 'b', lineno: 1, colno: 31, in_app: true, module: 'app.min' },
          { filename: 'node:internal/x', function: 'run', lineno: 3 },
        ],
      },
    },
  ],
});

describe('symbolicateEvent', () => {
  it('resolves file, line, column, the function from the caller, and source lines; keeps the frames as sent', () => {
    const parsed = parseSourceMap(sampleMap(), 'dev-server', 'http://localhost:5173/app.min.js.map', undefined);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const result = symbolicateEvent(minified, () => ({ map: parsed.map }));
    expect(result.problems).toEqual([]);
    const exception = result.exceptions?.[0];
    expect(exception?.raw_stacktrace).toBe(minified.exception?.values[0]?.stacktrace);
    const [outer, thrower, internal] = exception?.stacktrace?.frames ?? [];
    // No caller names the outermost frame: the declaration around its line in the source does.
    expect(outer).toMatchObject({ filename: 'src/cart.js', lineno: 2, colno: 3, function: 'checkout' });
    expect(thrower).toMatchObject({
      filename: 'src/cart.js',
      lineno: 5,
      function: 'applyDiscount',
      context_line: '  throw new Error("x");',
      pre_context: ['function checkout() {', '  applyDiscount();', '}', 'function applyDiscount() {'],
      post_context: ['}', ''],
      data: { resolved_with: 'dev-server', sourcemap: 'http://localhost:5173/app.min.js.map' },
    });
    expect(thrower?.module).toBeUndefined();
    expect(internal).toEqual({ filename: 'node:internal/x', function: 'run', lineno: 3 });
  });

  it('leaves a frame as sent with a one-line reason when the map has no mapping there or cannot be found', () => {
    const parsed = parseSourceMap(sampleMap(), 'file', '/app/app.min.js.map', undefined);
    if (!parsed.ok) throw new Error('unparsed');
    const farOff = event({ values: [{ type: 'Error', stacktrace: { frames: [{ abs_path: '/app/app.min.js', lineno: 9, colno: 1 }] } }] });
    expect(symbolicateEvent(farOff, () => ({ map: parsed.map }))).toEqual({
      exceptions: undefined,
      problems: [{ type: 'js_invalid_source_position', message: '/app/app.min.js:9:1 has no mapping in /app/app.min.js.map', url: '/app/app.min.js' }],
    });
    const problem = { type: 'fetch_timeout', message: 'http://localhost:5173/app.min.js?t=1 did not answer within 3000 ms' };
    expect(symbolicateEvent(minified, () => ({ problem }))).toEqual({ exceptions: undefined, problems: [problem] });
  });

  it('asks only for script files and URLs once each, with the debug ID of debug_meta', () => {
    const withIds: SentryEvent = { ...minified, debug_meta: { images: [{ type: 'sourcemap', code_file: 'http://localhost:5173/app.min.js?t=1', debug_id: 'ABCDEF01-2345-6789-ABCD-EF0123456789' }] } };
    expect(mapRequests(withIds)).toEqual([{ file: 'http://localhost:5173/app.min.js?t=1', debugId: 'abcdef01-2345-6789-abcd-ef0123456789' }]);
    const python = event({ values: [{ type: 'E', stacktrace: { frames: [{ abs_path: '/app/main.py', lineno: 3 }, { abs_path: '/app/node_modules/x/index.js', lineno: 1 }] } }] });
    expect(mapRequests(python)).toEqual([]);
  });

  it('reads sourceMappingURL comments and inline maps, and refuses what is not a map', () => {
    expect(sourceMappingUrl('a();\n//# sourceMappingURL=app.min.js.map\n')).toBe('app.min.js.map');
    expect(sourceMappingUrl('a();\n/*# sourceMappingURL=x.map */')).toBeUndefined();
    expect(inlineMap(`data:application/json;base64,${Buffer.from('{"a":1}').toString('base64')}`, 1000)).toEqual({ ok: true, text: '{"a":1}' });
    expect(parseSourceMap('{not json', 'file', '/app/x.map', undefined)).toMatchObject({ ok: false, problem: { type: 'js_invalid_source' } });
    expect(parseSourceMap('root:x:0:0:root:/root:/bin/bash', 'file', '/etc/passwd', undefined)).toMatchObject({ ok: false });
  });

  it('names sources without bundler prefixes', () => {
    expect(readableSourceName('webpack://shop/./src/cart.js')).toBe('src/cart.js');
    expect(readableSourceName('../../src/cart.ts')).toBe('src/cart.ts');
    expect(readableSourceName('http://localhost:5173/@fs/home/me/app/src/main.ts')).toBe('/home/me/app/src/main.ts');
  });
});

describe('processedPayload', () => {
  it('stores the resolved frames, the frames as sent in raw_stacktrace, and the problems', () => {
    const sent = { exception: { values: [{ type: 'Error', stacktrace: { frames: [{ filename: 'a.min.js', lineno: 1 }] } }] }, extra: { kept: true } };
    const resolved = { type: 'Error', stacktrace: { frames: [{ filename: 'src/a.js', lineno: 9 }] }, raw_stacktrace: { frames: [{ filename: 'a.min.js', lineno: 1 }] } };
    const stored = JSON.parse(processedPayload(JSON.stringify(sent), [resolved], [{ type: 'x', message: 'y' }])) as Record<string, unknown>;
    expect(stored).toEqual({
      exception: { values: [{ type: 'Error', stacktrace: resolved.stacktrace, raw_stacktrace: sent.exception.values[0]?.stacktrace }] },
      extra: { kept: true },
      errors: [{ type: 'x', message: 'y' }],
    });
  });
});

describe('enclosingFunctionName', () => {
  const source = [
    'export function run() {',
    '  return checkout({ id: 7 });',
    '}',
    'const pay = async (order) => {',
    '  if (order.total > 0) {',
    '    throw new Error("declined");',
    '  }',
    '};',
    'class Cart {',
    '  static total(items) {',
    '    return items.length;',
    '  }',
    '}',
    'top();',
  ];

  it('names the declaration the line sits in, skipping blocks that are not functions', () => {
    expect(enclosingFunctionName(source, 2)).toBe('run');
    expect(enclosingFunctionName(source, 6)).toBe('pay');
    expect(enclosingFunctionName(source, 11)).toBe('total');
    expect(enclosingFunctionName(source, 14)).toBeNull();
  });
});
