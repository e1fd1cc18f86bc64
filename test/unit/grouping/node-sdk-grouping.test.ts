import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { groupEvent } from '../../../src/main/pipeline/grouping/index';
import type { GroupingResult } from '../../../src/shared/grouping';
import { loadFixture } from './sdk-payload';

// Payloads captured from @sentry/node 11.12.0 by test/fixtures/sentry/capture-node.mjs: the same app
// installed as base (/srv/app), shifted (7 extra lines at the top of every file) and moved
// (/home/dev/projects/deeper/app).
const group = (path: string): GroupingResult => groupEvent(loadFixture(`node/${path}.json`));
const sameIssue = (a: GroupingResult, b: GroupingResult): boolean => a.hashes.some((hash) => b.hashes.includes(hash));

describe('grouping real @sentry/node events', () => {
  it('groups the same error with different ids in the message into one issue', () => {
    const first = group('base-ids-1');
    const second = group('base-ids-2');
    expect(first.hashes).toEqual(second.hashes);
    expect(first.hashes).toHaveLength(2); // app and system variants differ: node internals are not in-app
    expect(first.title).toBe('TypeError: Order 2001 has invalid total: expected number, got undefined');
    expect(second.title).toBe('TypeError: Order 2002 has invalid total: expected number, got undefined');
    expect(first.culprit).toBe('computeOrderTotal(lib:orders)');
    expect(first.metadata).toMatchObject({ type: 'TypeError', function: 'computeOrderTotal' });
  });

  it('keeps one issue when every line number shifts', () => {
    expect(group('shifted-ids-1').hashes).toEqual(group('base-ids-1').hashes);
    expect(group('shifted-callsites-2').hashes).toEqual(group('base-callsites-2').hashes);
    expect(group('shifted-messages-1').hashes).toEqual(group('base-messages-1').hashes);
  });

  it('keeps one issue when the app is installed under another absolute path', () => {
    expect(group('moved-ids-1').hashes).toEqual(group('base-ids-1').hashes);
    expect(group('moved-messages-3').hashes).toEqual(group('base-messages-3').hashes);
  });

  it('splits the same type and message thrown from different call sites', () => {
    const applyDiscount = group('base-callsites-1');
    const validateCoupon = group('base-callsites-2');
    expect(applyDiscount.title).toBe('RangeError: Invalid discount value');
    expect(validateCoupon.title).toBe('RangeError: Invalid discount value');
    expect(sameIssue(applyDiscount, validateCoupon)).toBe(false);
  });

  it('splits different exception types from the same function', () => {
    expect(sameIssue(group('base-ids-1'), group('base-types-1'))).toBe(false);
    expect(group('base-types-1').title).toBe('RangeError: Order 3001 has a negative total');
  });

  it('groups captureMessage events by call site like Sentry (synthetic exception, type ignored)', () => {
    const user123 = group('base-messages-1');
    const user456 = group('base-messages-2');
    const latency = group('base-messages-3');
    expect(user123.hashes).toEqual(user456.hashes);
    expect(sameIssue(user123, latency)).toBe(false);
    expect(user123.title).toBe('User 123 not found');
    expect(latency.title).toBe('Payment provider latency above threshold');
    expect(user123.metadata.message).toBe('User 123 not found');
    const system = user123.variants.find((variant) => variant.key === 'system');
    expect(JSON.stringify(system?.component)).toContain('ignored because stacktrace takes precedence');
  });

  it('titles a chained error from the outermost exception and hashes the whole chain', () => {
    const chained = group('base-chained-1');
    expect(chained.title).toBe('PaymentDeclinedError: payment for order 5001 could not be completed');
    const system = chained.variants.find((variant) => variant.key === 'system');
    expect(system?.component?.values[0]).toMatchObject({ id: 'chained-exception', contributes: true });
  });

  it('honours SDK fingerprints: a custom one replaces default grouping, a hybrid one extends it', () => {
    const custom = group('base-fingerprint-1');
    const hybrid = group('base-fingerprint-2');
    const plain = group('base-ids-1');
    expect(custom.variants[0]).toMatchObject({ key: 'custom-fingerprint', values: ['payment-gateway'], contributes: true });
    expect(custom.hashes).toEqual([createHash('md5').update('payment-gateway').digest('hex')]);
    expect(sameIssue(custom, plain)).toBe(false);
    expect(sameIssue(hybrid, plain)).toBe(false);
    expect(hybrid.variants.find((variant) => variant.key === 'system')?.values).toEqual(['tenant-a']);
  });
});
