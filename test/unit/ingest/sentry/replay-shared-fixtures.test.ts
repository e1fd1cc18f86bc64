/**
 * Extra check: replays every Sentry request in ../shared/fixtures/wire (real SDK captures kept
 * outside the repository) and compares what was accepted with the item list its MANIFEST.md
 * gives for each request. That folder exists only on the development machines, so on a fresh
 * clone this suite is skipped; the same paths are covered by the fixtures in test/fixtures.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentryEvent } from '../../../../src/shared/event';
import { startIngestServer, type IngestTestServer } from './ingest-test-server';
import { isSentryRequest, loadRecordedRequests, projectsOf, replay } from './wire-replay';
import { sharedFixture } from '../../../support/shared-fixtures';

const SHARED = sharedFixture('fixtures/wire', 'the Sentry replays of the shared wire fixtures', 'MANIFEST.md') ?? '';
const available = SHARED !== '';

interface ManifestEntry {
  /** The item types listed for the request, in order. */
  items: string[];
  /** The description of the request's event: "Type: value <- Type: value release=…". */
  description: string;
}

/** Lines like: - `n1/n1-002-envelope.json` — POST … — items: event — event TypeError: … release=app@1.0.0 */
function readManifest(): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  for (const line of readFileSync(join(SHARED, 'MANIFEST.md'), 'utf8').split('\n')) {
    const match = /^\s*- `([^`]+)` — .*? — items: ([^—]+) — (.*)$/.exec(line);
    if (match?.[1] && match[2] && match[3] !== undefined) {
      entries.set(match[1], { items: match[2].split(',').map((item) => item.trim()), description: match[3].trim() });
    }
  }
  return entries;
}

/** The title the manifest gives an event: the last (outermost) "Type: value", or the message. */
function manifestTitle(description: string): string {
  const chain = description.replace(/^event /, '').replace(/ release=\S+$/, '').replace(/ msg=".*"$/, '');
  return (chain.split(' <- ').at(-1) ?? '').replace(/^\(no type\): /, '');
}

function eventTitle(event: SentryEvent): string {
  const last = event.exception?.values.at(-1);
  return last?.type ? `${last.type}: ${last.value}` : (last?.value ?? event.message ?? '');
}

describe.skipIf(!available)('replay of ../shared/fixtures/wire', () => {
  let server: IngestTestServer;
  beforeAll(async () => {
    server = await startIngestServer({ projects: projectsOf(loadRecordedRequests(SHARED)) });
  });
  afterAll(() => server?.close());

  const requests = available ? loadRecordedRequests(SHARED).filter(isSentryRequest) : [];
  const manifest = available ? readManifest() : new Map<string, ManifestEntry>();

  it('finds Sentry requests listed in the manifest', () => {
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(manifest.has(relative(SHARED, request.file))).toBe(true);
  });

  it.each(requests.map((request) => [relative(SHARED, request.file), request] as const))('%s', async (name, request) => {
    const entry = manifest.get(name)!;
    const before = server.sink.envelopes.length;
    const response = await replay(server.url, request);
    expect(response.status).toBe(200);
    const [envelope, ...more] = server.sink.envelopes.slice(before);
    expect(more).toHaveLength(0);
    const eventItems = entry.items.filter((item) => item === 'event').length;
    expect(envelope!.events).toHaveLength(eventItems);
    expect(Object.keys(envelope!.otherItems).sort()).toEqual(entry.items.filter((item) => item !== 'event').sort());
    const logCount = /\blog n=(\d+)/.exec(entry.description)?.[1];
    if (logCount) expect(envelope!.otherItems['log']).toBe(Number(logCount));
    if (eventItems > 0) {
      const event = envelope!.events[0]!.event;
      expect(response.json).toEqual({ id: event.event_id });
      expect(eventTitle(event)).toBe(manifestTitle(entry.description));
    } else {
      expect(response.json).toEqual({});
    }
  });
});
