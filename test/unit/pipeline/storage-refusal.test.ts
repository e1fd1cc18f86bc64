import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../src/main/ingest/ingest-sink';
import { groupEvent } from '../../../src/main/pipeline/grouping';
import { IngestPipeline } from '../../../src/main/pipeline/ingest-pipeline';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';
import { StorageRefusal } from '../../../src/main/pipeline/storage-refusal';
import { openStore, type Store } from '../../../src/main/store';

describe('StorageRefusal', () => {
  it('refuses for the wait after a failure, then lets one try through; a success ends it', () => {
    let now = 1_000_000;
    const refusal = new StorageRefusal(10_000, () => now);
    expect(refusal.current()).toBeNull();
    expect(refusal.failed('the disk or database is full')).toBe(true);
    expect(refusal.current()).toEqual({ reason: 'the disk or database is full', retryAfterSeconds: 10 });
    now += 8_500;
    expect(refusal.current()).toEqual({ reason: 'the disk or database is full', retryAfterSeconds: 2 });
    now += 1_500;
    expect(refusal.current()).toBeNull();
    // The try failed again: a new wait, and not a new start.
    expect(refusal.failed('the disk or database is full')).toBe(false);
    expect(refusal.current()?.retryAfterSeconds).toBe(10);
    now += 10_000;
    expect(refusal.succeeded()).toBe(true);
    expect(refusal.succeeded()).toBe(false);
    expect(refusal.current()).toBeNull();
  });
});

describe('ingest into a database at its size limit', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('stays refused (503 reason, Retry-After) without writing until the wait is over, then resumes by itself', async () => {
    store = openStore(join(mkdtempSync(join(tmpdir(), 'stacktray-full-')), 'stacktray.db'), () => 'http://127.0.0.1:1');
    store.ensureDefaultProject();
    const projectId = store.projects.list()[0]?.id ?? 0;
    let now = 2_000_000;
    const logged: string[] = [];
    const pipeline = new IngestPipeline(store, (event) => groupEvent(event), () => undefined, {}, (line) => logged.push(line), new StorageRefusal(10_000, () => now));
    let sent = 0;
    const send = () => {
      const raw = { event_id: (++sent).toString(16).padStart(32, '0'), message: 'filler', extra: { blob: randomBytes(20_000).toString('hex') } };
      const result = normalizeEvent(raw, { receivedAt: 1_760_000_000 });
      if (!result.ok) throw new Error(result.reason);
      return pipeline.accept({ projectId, events: [{ event: result.event, payload: JSON.stringify(raw), attachments: [] }], otherItems: {} });
    };
    const refusedWith = async (accepted: Promise<void>) => {
      const error = await accepted.then(() => null, (caught: unknown) => caught);
      if (!(error instanceof StorageUnavailableError)) throw new Error(`expected a refusal, got ${String(error)}`);
      return { reason: error.message, retryAfterSeconds: error.retryAfterSeconds };
    };

    // SQLite's own size limit: max_page_count at the current size makes the next growth SQLITE_FULL.
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    expect(await refusedWith(send())).toEqual({ reason: 'the disk or database is full', retryAfterSeconds: 10 });
    const stored = store.events.count();

    // Space freed at once: still refused until the wait is over, and the database is not touched.
    store.db.pragma('max_page_count = 1073741823');
    now += 9_001;
    expect(await refusedWith(send())).toEqual({ reason: 'the disk or database is full', retryAfterSeconds: 1 });
    expect(store.events.count()).toBe(stored);

    now += 999;
    // Same message, same group as the refused first event, whose new issue was rolled back.
    await send();
    expect(store.events.count()).toBe(stored + 1);
    await send();
    expect(logged).toEqual([
      'storage unavailable: the disk or database is full (SQLITE_FULL); ingest answers 503 and tries again every 10 s',
      'storage writable again: ingest resumed',
    ]);
  });
});
