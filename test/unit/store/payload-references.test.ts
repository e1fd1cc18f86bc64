/**
 * Reference payloads (payload-codec.ts, payload-references.ts): a group's later events are stored
 * against an earlier payload of the group, read back byte for byte by every reader, and the
 * reference lives exactly as long as an issue holds its hash.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store';
import { IssueMerger } from '../../../src/main/store/issue-merge';
import { IngestPipeline } from '../../../src/main/pipeline/ingest-pipeline';
import { groupEvent } from '../../../src/main/pipeline/grouping';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';
import { readEventPayload } from '../../../src/main/ingest/sentry/envelope-items';
import { referenceIdOf } from '../../../src/main/store/payload-codec';
import type { SentryEvent } from '../../../src/shared/event';

const dir = join(__dirname, '..', '..', 'fixtures', 'bench', 'envelopes');
/** A real @sentry/node event payload (the event item of a captured envelope). */
const sentPayload = readFileSync(join(dir, readdirSync(dir).filter((name) => name.endsWith('.envelope')).sort()[0] ?? ''), 'utf8').split('\n')[2] ?? '';
const sentEventId = (JSON.parse(sentPayload) as { event_id: string }).event_id;

let store: Store;
let pipeline: IngestPipeline;
let projectId: number;

beforeEach(() => {
  store = openStore(join(mkdtempSync(join(tmpdir(), 'stacktray-references-')), 'stacktray.db'), () => 'http://127.0.0.1:8969');
  store.ensureDefaultProject();
  projectId = store.projects.list()[0]?.id ?? 0;
  pipeline = new IngestPipeline(store, (event) => groupEvent(event), () => undefined);
});

afterEach(() => store.close());

function normalizeStored(payloadJson: string, received: number, eventId: string): SentryEvent {
  const result = normalizeEvent(JSON.parse(payloadJson) as unknown, { receivedAt: received, eventIdFallback: eventId });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

/** The fixture's payload with its own event id and, for `type`, another exception type (another group). */
function payloadOf(n: number, type = 'TypeError'): string {
  return sentPayload.replace(sentEventId, n.toString(16).padStart(32, '0')).replace('"type":"TypeError"', `"type":"${type}"`);
}

/** Ingests each payload in its own batch, as separate requests would be. */
async function ingest(payloads: string[]): Promise<void> {
  for (const payload of payloads) {
    const incoming = readEventPayload(Buffer.from(payload), { receivedAt: 1_760_000_000, maxEventBytes: 1 << 20 });
    if (typeof incoming === 'string') throw new Error(incoming);
    await pipeline.accept({ projectId, events: [incoming], otherItems: {} });
  }
}

function storedRow(n: number): { payload: Buffer; issue_id: number } {
  return store.db.prepare('SELECT payload, issue_id FROM events WHERE event_id = ?').get(n.toString(16).padStart(32, '0')) as { payload: Buffer; issue_id: number };
}

const referenceCount = (): number => store.db.prepare('SELECT count(*) FROM payload_references').pluck().get() as number;

describe('a group with more than one event', () => {
  it('takes its second event as its reference; later events are stored against it, far smaller, and read back as sent', async () => {
    const payloads = [1, 2, 3, 4, 5].map((n) => payloadOf(n));
    await ingest(payloads);
    expect(new Set([1, 2, 3, 4, 5].map((n) => storedRow(n).issue_id)).size).toBe(1);
    expect(referenceCount()).toBe(1);
    // The first two were written before the group had a reference.
    expect([1, 2, 3, 4, 5].map((n) => referenceIdOf(storedRow(n).payload) !== null)).toEqual([false, false, true, true, true]);
    expect(storedRow(5).payload.length).toBeLessThan(storedRow(1).payload.length / 4);
    for (const [index, payload] of payloads.entries()) {
      expect(store.events.byEventId((index + 1).toString(16).padStart(32, '0'))?.payloadJson).toBe(payload);
    }
    expect([...store.events.allOfIssue(storedRow(5).issue_id)].map((event) => event.payloadJson).sort()).toEqual([...payloads].sort());
  });

  it('a group seen once stores no reference', async () => {
    await ingest([payloadOf(1, 'RangeError'), payloadOf(2, 'SyntaxError')]);
    expect(referenceCount()).toBe(0);
  });
});

describe('a reference', () => {
  it('moves with its hash when issues are merged and unmerged, and goes when the issue holding its hash is deleted', async () => {
    await ingest([1, 2, 3].map((n) => payloadOf(n)));
    await ingest([11, 12, 13].map((n) => payloadOf(n, 'RangeError')));
    expect(referenceCount()).toBe(2);
    const first = storedRow(3).issue_id;
    const second = storedRow(13).issue_id;
    const merger = new IssueMerger(store.db, store.issueHashes, { normalizeStored, group: (event) => groupEvent(event) });
    const survivor = merger.merge([first, second]);
    // Read back through the merge's own regrouping and through the events repository.
    const split = merger.unmerge(survivor, [store.events.byEventId((13).toString(16).padStart(32, '0'))?.summary.hash ?? '']);
    expect(storedRow(13).issue_id).toBe(split);
    expect(store.events.byEventId((13).toString(16).padStart(32, '0'))?.payloadJson).toBe(payloadOf(13, 'RangeError'));

    expect(store.issues.delete(survivor)).toBe(true);
    store.payloadReferences.forgetUnused();
    expect(referenceCount()).toBe(1);
    expect(store.events.byEventId((13).toString(16).padStart(32, '0'))?.payloadJson).toBe(payloadOf(13, 'RangeError'));

    // New events of the deleted group start over: a new issue, then a new reference.
    await ingest([21, 22, 23].map((n) => payloadOf(n)));
    expect(referenceCount()).toBe(2);
    expect(store.events.byEventId((23).toString(16).padStart(32, '0'))?.payloadJson).toBe(payloadOf(23));
  });

  it('goes with its project', async () => {
    const other = store.projects.create('other');
    await ingest([1, 2, 3].map((n) => payloadOf(n)));
    projectId = other.id;
    await ingest([1, 2, 3].map((n) => payloadOf(n)));
    expect(referenceCount()).toBe(2);
    store.projects.delete(other.id);
    store.payloadReferences.clear();
    expect(referenceCount()).toBe(1);
  });
});
