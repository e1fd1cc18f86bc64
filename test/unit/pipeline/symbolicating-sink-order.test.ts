/**
 * The symbolicate stage keeps a project's arrival order: an envelope that waits for a source map
 * is not overtaken by a later one of its project that needs no waiting (that one would become the
 * issue's latest event, and set its title, though it was sent first).
 */
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SentryEvent } from '../../../src/shared/event';
import type { IncomingEnvelope, IngestSink } from '../../../src/main/ingest/ingest-sink';
import { SymbolicatingSink } from '../../../src/main/pipeline/symbolicating-sink';
import { LoopbackFetcher } from '../../../src/main/sources/loopback-fetch';
import { SourceMapLocator } from '../../../src/main/sources/source-map-locator';
import { SourceReader } from '../../../src/main/sources/source-reader';

/** The next stage: records the order envelopes are handed to it, by their first event's message. */
class RecordingSink implements IngestSink {
  readonly order: string[] = [];
  accept(envelope: IncomingEnvelope): Promise<void> {
    this.order.push(envelope.events.map((incoming) => incoming.event.message ?? '').join(','));
    return Promise.resolve();
  }
}

function setUp() {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'stacktray-sink-order-')));
  const bundle = join(folder, 'bundle.js');
  writeFileSync(bundle, 'function a(){throw new Error("x")}a();\n');
  const recorded = new RecordingSink();
  const locator = new SourceMapLocator(new SourceReader({ sourceFolders: () => [folder] }), new LoopbackFetcher(), null);
  return { bundle, recorded, sink: new SymbolicatingSink(recorded, locator) };
}

function envelope(projectId: number, message: string, file?: string): IncomingEnvelope {
  const event: SentryEvent = { event_id: 'a'.repeat(32), timestamp: 1, received: 1, platform: 'javascript', level: 'error', message };
  if (file) event.exception = { values: [{ type: 'Error', value: 'x', stacktrace: { frames: [{ abs_path: file, filename: file, function: 'a', lineno: 1, colno: 20 }] } }] };
  return { projectId, events: [{ event, payload: JSON.stringify(event), attachments: [] }], otherItems: {} };
}

describe('the symbolicate stage', () => {
  it("hands a project's envelopes on in arrival order while one waits for its map, and holds no other project", async () => {
    const { bundle, recorded, sink } = setUp();
    const all = [
      sink.accept(envelope(1, 'first, waits for its map', bundle)),
      sink.accept(envelope(1, 'second, no frames')),
      sink.accept(envelope(2, 'other project')),
      sink.accept(envelope(1, 'third, same file', bundle)),
    ];
    // The other project is not held behind project 1's lookup.
    expect(recorded.order).toEqual(['other project']);
    await Promise.all(all);
    expect(recorded.order).toEqual(['other project', 'first, waits for its map', 'second, no frames', 'third, same file']);
  });

  it('lets an envelope through at once when nothing of its project waits', async () => {
    const { bundle, recorded, sink } = setUp();
    await sink.accept(envelope(1, 'warms the cache', bundle));
    const later = [sink.accept(envelope(1, 'cached now', bundle)), sink.accept(envelope(1, 'no frames'))];
    expect(recorded.order).toEqual(['warms the cache', 'cached now', 'no frames']);
    await Promise.all(later);
  });
});
