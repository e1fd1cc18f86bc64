import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store';
import { resolveAutoIp } from '../../../src/main/store/auto-ip';
import { IssueMerger } from '../../../src/main/store/issue-merge';
import { IngestPipeline } from '../../../src/main/pipeline/ingest-pipeline';
import { groupEvent } from '../../../src/main/pipeline/grouping';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';
import type { SentryEvent } from '../../../src/shared/event';

describe('resolveAutoIp', () => {
  it('puts the ingest address where the payload has the {{auto}} placeholder, in user and its legacy alias', () => {
    const payload = JSON.stringify({ message: 'hi', user: { id: '7', ip_address: ' {{auto}} ' }, 'sentry.interfaces.User': { ip_address: '{{auto}}' } });
    expect(JSON.parse(resolveAutoIp(payload, '203.0.113.7'))).toEqual({
      message: 'hi',
      user: { id: '7', ip_address: '203.0.113.7' },
      'sentry.interfaces.User': { ip_address: '203.0.113.7' },
    });
  });

  it('leaves a payload alone without a placeholder, without an address, or when {{auto}} is not the user IP', () => {
    const literal = JSON.stringify({ user: { ip_address: '198.51.100.1' } });
    const elsewhere = JSON.stringify({ message: '{{auto}}', user: { ip_address: '198.51.100.1' } });
    const placeholder = JSON.stringify({ user: { ip_address: '{{auto}}' } });
    expect(resolveAutoIp(literal, '203.0.113.7')).toBe(literal);
    expect(resolveAutoIp(elsewhere, '203.0.113.7')).toBe(elsewhere);
    expect(resolveAutoIp(placeholder, null)).toBe(placeholder);
    expect(resolveAutoIp('{"user": {"ip_address": "{{auto}}"', '203.0.113.7')).toBe('{"user": {"ip_address": "{{auto}}"');
  });
});

describe('an event sent with user.ip_address "{{auto}}"', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  /** As core.ts normalizes a stored payload again (no client address at hand). */
  function normalizeStored(payloadJson: string, received: number, eventId: string): SentryEvent {
    const result = normalizeEvent(JSON.parse(payloadJson) as unknown, { receivedAt: received, eventIdFallback: eventId });
    if (!result.ok) throw new Error(result.reason);
    return result.event;
  }

  it('keeps the address substituted at ingest when it is read back, listed for export, or regrouped by unmerge', async () => {
    store = openStore(join(mkdtempSync(join(tmpdir(), 'stacktray-auto-ip-')), 'stacktray.db'), () => 'http://127.0.0.1:8969');
    store.ensureDefaultProject();
    const projectId = store.projects.list()[0]?.id ?? 0;
    const pipeline = new IngestPipeline(store, (event) => groupEvent(event), () => undefined);
    const receivedAt = 1_760_000_000;
    const sent = (eventId: string, fingerprint: string) => ({
      event_id: eventId,
      message: 'clicked',
      fingerprint: [fingerprint],
      user: { id: 'u1', ip_address: '{{auto}}' },
    });
    const ingest = async (raws: ReturnType<typeof sent>[], clientIp: string) => {
      const events = raws.map((raw) => {
        const result = normalizeEvent(raw, { receivedAt, clientIp });
        if (!result.ok) throw new Error(result.reason);
        return { event: result.event, payload: JSON.stringify(raw), attachments: [] };
      });
      await pipeline.accept({ projectId, events, otherItems: {} });
    };
    await ingest([sent('1'.repeat(32), 'a')], '203.0.113.7');
    await ingest([sent('2'.repeat(32), 'b')], '2001:db8::5');

    const stored = store.events.byEventId('1'.repeat(32));
    if (!stored) throw new Error('event not stored');
    expect(normalizeStored(stored.payloadJson, receivedAt, stored.summary.eventId).user).toEqual({ id: 'u1', ip_address: '203.0.113.7' });
    const issueId = stored.summary.issueId;
    expect([...store.events.allOfIssue(issueId)].map((event) => normalizeStored(event.payloadJson, receivedAt, '').user?.ip_address)).toEqual(['203.0.113.7']);

    // Merge both issues, then split the second fingerprint out again: the split issue is regrouped
    // from its stored payloads, which must normalize with the address they were ingested with.
    const seen: (string | undefined)[] = [];
    const merger = new IssueMerger(store.db, store.issueHashes, {
      normalizeStored: (payloadJson, received, eventId) => {
        const event = normalizeStored(payloadJson, received, eventId);
        seen.push(event.user?.ip_address);
        return event;
      },
      group: (event) => groupEvent(event),
    });
    const other = store.events.byEventId('2'.repeat(32))?.summary.issueId ?? 0;
    const survivor = merger.merge([issueId, other]);
    const secondHash = store.events.byEventId('2'.repeat(32))?.summary.hash ?? '';
    merger.unmerge(survivor, [secondHash]);
    expect(seen).toContain('2001:db8::5');
    expect(seen.every((ip) => ip === '203.0.113.7' || ip === '2001:db8::5')).toBe(true);
  });
});
