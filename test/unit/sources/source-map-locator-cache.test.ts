/**
 * The locator's short-lived result cache: under steady traffic a result is re-checked in the
 * background before it expires, so no event waits for the re-check, yet a result is never older
 * than its time to live; concurrent lookups of one file share one.
 */
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoopbackFetcher } from '../../../src/main/sources/loopback-fetch';
import { SourceMapLocator, type MapResult } from '../../../src/main/sources/source-map-locator';
import { SourceReader } from '../../../src/main/sources/source-reader';

const MAP = JSON.stringify({ version: 3, file: 'app.js', sources: ['app.ts'], names: [], mappings: 'AAAA' });

function setUp() {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'stacktray-locator-')));
  const file = join(folder, 'app.js');
  writeFileSync(file, 'throw new Error("x");\n');
  let clock = 1_000_000;
  const reader = new SourceReader({ sourceFolders: () => [folder] });
  const locator = new SourceMapLocator(reader, new LoopbackFetcher(), null, () => clock);
  return {
    file,
    locator,
    advanceTo: (ms: number) => (clock = 1_000_000 + ms),
    cached: () => locator.cached([{ file }], { projectId: 1 }),
  };
}

/** Waits until the cached result for `file` is a map (the re-check's file reads finish on libuv's pool). */
async function untilMapped(cached: () => Map<string, MapResult> | undefined, file: string): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    const result = cached()?.get(file);
    if (result && 'map' in result) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the background re-check never stored the new map');
}

describe('the source-map result cache', () => {
  it('re-checks a result used near its end in the background, and keeps serving it meanwhile', async () => {
    const { file, locator, advanceTo, cached } = setUp();
    expect((await locator.load([{ file }], { projectId: 1 })).get(file)).toBeNull();
    advanceTo(500);
    expect(cached()?.get(file)).toBeNull();

    // The developer adds the map; the next use is within a second of the result's end.
    writeFileSync(`${file}.map`, MAP);
    advanceTo(1_500);
    expect(cached()?.get(file)).toBeNull();
    await untilMapped(cached, file);

    // Past the first result's end, the re-checked one answers at once: no event waits for I/O.
    advanceTo(2_600);
    const result = cached()?.get(file);
    expect(result && 'map' in result).toBe(true);
  });

  it('still expires a result nobody used near its end', async () => {
    const { file, locator, advanceTo, cached } = setUp();
    await locator.load([{ file }], { projectId: 1 });
    advanceTo(2_001);
    expect(cached()).toBeUndefined();
  });

  it('shares one lookup among events that ask for the same file at once', async () => {
    const { file, locator } = setUp();
    writeFileSync(`${file}.map`, MAP);
    const [first, second] = await Promise.all([locator.load([{ file }], { projectId: 1 }), locator.load([{ file }], { projectId: 1 })]);
    const a = first.get(file);
    expect(a && 'map' in a).toBe(true);
    expect(second.get(file)).toBe(a);
  });
});
