/**
 * An event whose grouping gives several hashes joins the issue that owns the first of them any
 * issue owns, and that issue adopts the event's other hashes, whether the owner was found in the
 * database or in the hot path's cache. Real SQLite file, events as the pipeline prepares them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store';
import type { PreparedEvent } from '../../../src/main/store/ingest-writer';
import { encodePayload } from '../../../src/main/store/payload-codec';

const NOW = 1_760_000_000;
const [H1, H2, H3] = ['1', '2', '3'].map((digit) => digit.repeat(32)) as [string, string, string];
let store: Store;
let projectId: number;

beforeEach(() => {
  store = openStore(join(mkdtempSync(join(tmpdir(), 'stacktray-hashes-')), 'stacktray.db'), () => 'http://127.0.0.1:8969');
  store.ensureDefaultProject();
  projectId = store.projects.list()[0]?.id ?? 0;
});

afterEach(() => store.close());

function prepared(n: number, hashes: string[]): PreparedEvent {
  const id = n.toString(16).padStart(32, '0');
  return {
    projectId,
    event: { event_id: id, timestamp: NOW + n, received: NOW + n, platform: 'node', level: 'error' },
    grouping: { config: 'test:1', hashes, title: `Error ${n}`, culprit: 'app.js', metadata: {} },
    payload: encodePayload(JSON.stringify({ event_id: id })),
    attachments: [],
    userKey: `id:user-${n}`,
    tags: [],
    searchText: 'Error',
  };
}

const write = (event: PreparedEvent) => store.writer.writeBatch({ events: [event], otherItems: [], looseAttachments: [] }, NOW + 1000);
const ownedBy = (issueId: number) =>
  (store.db.prepare('SELECT hash FROM issue_hashes WHERE issue_id = ? ORDER BY hash').all(issueId) as { hash: string }[]).map((row) => row.hash);
const issueOfEvent = (n: number) =>
  store.db.prepare('SELECT issue_id, hash FROM events WHERE event_id = ?').get(n.toString(16).padStart(32, '0')) as { issue_id: number; hash: string };

describe('hashes an issue adopts from its events', () => {
  it('adopts a first hash no issue owns when a later hash is owned (found in the cache)', () => {
    const issueId = write(prepared(1, [H2])).createdIssueIds[0]!;
    // H1 is new, H2 is the issue's (and cached since the write above): the event joins the issue.
    expect(write(prepared(2, [H1, H2])).updatedIssueIds).toEqual([issueId]);
    expect(ownedBy(issueId)).toEqual([H1, H2]);
    expect(issueOfEvent(2)).toEqual({ issue_id: issueId, hash: H1 });
    // An event that gives only H1 now finds the issue instead of opening another.
    expect(write(prepared(3, [H1]))).toMatchObject({ createdIssueIds: [], updatedIssueIds: [issueId] });
  });

  it('adopts it the same way when the owner is found in the database (after a restart)', () => {
    const issueId = write(prepared(1, [H2])).createdIssueIds[0]!;
    const file = store.db.name;
    store.close();
    store = openStore(file, () => 'http://127.0.0.1:8969');
    expect(write(prepared(2, [H1, H2, H3])).updatedIssueIds).toEqual([issueId]);
    expect(ownedBy(issueId)).toEqual([H1, H2, H3]);
  });

  it('leaves a hash another issue owns with that issue, and joins the issue of the first owned hash', () => {
    const first = write(prepared(1, [H1])).createdIssueIds[0]!;
    const second = write(prepared(2, [H2])).createdIssueIds[0]!;
    expect(write(prepared(3, [H3, H2, H1])).updatedIssueIds).toEqual([second]);
    expect(ownedBy(first)).toEqual([H1]);
    expect(ownedBy(second)).toEqual([H2, H3]);
  });
});
