/**
 * The main process's bundle is ASCII (electron.vite.config.ts: charset 'ascii'): V8 keeps every
 * module's source text while the process runs, one byte a character for ASCII and two otherwise,
 * so one character beyond ASCII doubled the core chunk's ~0.5 MB in every server's heap.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventSummary } from '../../src/shared/api';
import { eventLine } from '../../src/shared/event-text';
import { ensureBuilt, out } from './built-bundles';

beforeAll(ensureBuilt, 150_000);

describe('the main bundle', () => {
  it('is ASCII in every file, and its strings still read as written', () => {
    const dir = join(out, 'main');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'latin1');
      const beyond = text.search(/[^\x00-\x7f]/);
      expect(beyond, `${file}: ${text.slice(beyond - 40, beyond + 40)}`).toBe(-1);
    }
    // Text beyond ASCII, escaped in the bundle, is the same text at run time ('…' ends a cut value).
    const eventText = files.find((file) => /(^|\/)event-text-[^/]*\.js$/.test(file))!;
    const built = createRequire(import.meta.url)(join(dir, eventText)) as { eventLine: typeof eventLine };
    const event: EventSummary = {
      eventId: 'a'.repeat(32), issueId: 1, projectId: 1, timestamp: '2026-12-06T00:00:00.000Z', received: '2026-12-06T00:00:00.000Z',
      release: null, environment: null, title: `Fehler: ${'ü'.repeat(600)}`, level: 'error', hash: 'h',
    };
    const line = built.eventLine(event, 'json');
    expect(line).toBe(eventLine(event, 'json'));
    expect(JSON.parse(line).title).toBe(`Fehler: ${'ü'.repeat(491)}\u2026`);
  });
});
