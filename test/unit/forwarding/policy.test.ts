import { describe, expect, it } from 'vitest';
import { backoffMs, planAfterAnswer, planAfterNetworkError, rateLimitMs, type RetryPolicy } from '../../../src/main/forwarding/policy';
import { envelopeOfEvents, withUpstreamDsn } from '../../../src/main/forwarding/envelope-bytes';
import { parseUpstreamDsn } from '../../../src/main/forwarding/upstream-dsn';

const policy: RetryPolicy = { baseMs: 1_000, maxMs: 60_000 };
const NOW = 1_700_000_000_000;

describe('forwarding policy', () => {
  it('backs off exponentially with jitter between half and all of the step, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 0, policy))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 0.999999, policy))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(40, 0.5, policy)).toBe(45_000);
  });

  it('delivers on 2xx, and pauses when the answer carries rate limits', () => {
    expect(planAfterAnswer({ status: 200, headers: {}, body: '{}' }, NOW, 3, 0.5, policy)).toEqual({ kind: 'delivered', pauseUntilMs: null });
    expect(planAfterAnswer({ status: 200, headers: { 'x-sentry-rate-limits': '30:transaction:key' }, body: '' }, NOW, 0, 0.5, policy))
      .toEqual({ kind: 'delivered', pauseUntilMs: NOW + 30_000 });
  });

  it('waits out a 429 as told, without counting it as a failure', () => {
    expect(planAfterAnswer({ status: 429, headers: { 'retry-after': '7' }, body: '' }, NOW, 2, 0.5, policy))
      .toEqual({ kind: 'retry', atMs: NOW + 7_000, reason: 'the upstream answered 429', failure: false });
    // X-Sentry-Rate-Limits wins over Retry-After; the longest entry counts.
    expect(rateLimitMs({ 'x-sentry-rate-limits': '60:error:project, 2400:transaction;span:key:quota', 'retry-after': '5' }, NOW)).toBe(2_400_000);
    expect(rateLimitMs({ 'retry-after': new Date(NOW + 9_000).toUTCString() }, NOW)).toBe(9_000);
    expect(planAfterAnswer({ status: 429, headers: {}, body: '' }, NOW, 0, 0.5, policy)).toMatchObject({ atMs: NOW + 60_000 });
  });

  it('drops what the upstream refuses for good, with its reason', () => {
    for (const status of [400, 401, 403, 413]) {
      expect(planAfterAnswer({ status, headers: {}, body: '{"detail":"no"}' }, NOW, 0, 0.5, policy)).toEqual({ kind: 'drop', reason: `the upstream answered ${status}: no` });
    }
  });

  it('retries server errors, 408 and unreachable upstreams after a backoff that grows', () => {
    expect(planAfterAnswer({ status: 502, headers: {}, body: 'bad gateway' }, NOW, 0, 0, policy))
      .toEqual({ kind: 'retry', atMs: NOW + 500, reason: 'the upstream answered 502: bad gateway', failure: true });
    expect(planAfterAnswer({ status: 408, headers: {}, body: '' }, NOW, 2, 0, policy)).toMatchObject({ kind: 'retry', atMs: NOW + 2_000 });
    expect(planAfterNetworkError('ECONNREFUSED', NOW, 3, 0, policy))
      .toEqual({ kind: 'retry', atMs: NOW + 4_000, reason: 'the upstream could not be reached: ECONNREFUSED', failure: true });
  });
});

describe('forwarded bytes', () => {
  it('replaces only the DSN in the envelope header', () => {
    const body = Buffer.concat([Buffer.from('{"dsn":"http://a@127.0.0.1:8969/1", "sent_at":"x"}\n{"type":"attachment","length":3}\n'), Buffer.from([0, 255, 10]), Buffer.from('\n')]);
    const out = withUpstreamDsn(body, 'https://k@sentry.example.com/5');
    expect(out.equals(Buffer.concat([Buffer.from('{"dsn":"https://k@sentry.example.com/5", "sent_at":"x"}\n{"type":"attachment","length":3}\n'), Buffer.from([0, 255, 10]), Buffer.from('\n')]))).toBe(true);
    const noDsn = Buffer.from('{"event_id":"abc"}\n{"type":"session"}\n{}\n');
    expect(withUpstreamDsn(noDsn, 'https://k@h/1')).toBe(noDsn);
  });

  it('wraps events made here in an envelope with one item per event', () => {
    expect(envelopeOfEvents([{ eventId: 'e1', payload: '{"event_id":"e1","message":"é"}' }]).toString())
      .toBe('{"event_id":"e1"}\n{"type":"event","length":32}\n{"event_id":"e1","message":"é"}\n');
  });
});

describe('upstream DSN', () => {
  it('finds the envelope endpoint under a path prefix', () => {
    expect(parseUpstreamDsn('https://key@o1.ingest.sentry.io/sub/path/4505')).toEqual({
      ok: true,
      upstream: { dsn: 'https://key@o1.ingest.sentry.io/sub/path/4505', envelopeUrl: 'https://o1.ingest.sentry.io/sub/path/api/4505/envelope/', publicKey: 'key' },
    });
  });

  it('refuses a DSN pointing at this process on any of its addresses', () => {
    const self = { hosts: ['127.0.0.1', '192.168.1.20'], ports: [8969, 4318] };
    for (const dsn of ['http://k@127.0.0.1:8969/1', 'http://k@localhost:8969/1', 'http://k@[::1]:4318/1', 'http://k@192.168.1.20:8969/1', 'http://k@127.0.0.2:8969/1']) {
      expect(parseUpstreamDsn(dsn, self).ok, dsn).toBe(false);
    }
    expect(parseUpstreamDsn('http://k@127.0.0.1:9000/1', self).ok).toBe(true);
  });
});
