import { describe, expect, it } from 'vitest';
import { parameterize } from '../../../src/main/pipeline/grouping/index';
import { normalizeMessageForGrouping, trimMessage } from '../../../src/main/pipeline/grouping/parameterize';

describe('parameterize', () => {
  it.each([
    ['User 123 not found', 'User <int> not found'],
    ['Order 2001 has invalid total: expected number, got undefined', 'Order <int> has invalid total: expected number, got undefined'],
    ['gateway timeout after 3000ms (order 5001)', 'gateway timeout after <duration> (order <int>)'],
    ['retry in 1.5s', 'retry in <duration>'],
    ['took 12 seconds', 'took <duration>'],
    ['send to jane.doe+x@example.com failed', 'send to <email> failed'],
    ['GET https://api.example.com/v1/users?id=7 returned 502', 'GET <url> returned <int>'],
    ['fetch (http://127.0.0.1:5173/assets/app.js) failed.', 'fetch (<url>) failed.'],
    ['cannot resolve db.internal', 'cannot resolve <hostname>'],
    ['connect ECONNREFUSED 10.0.0.12:5432', 'connect ECONNREFUSED <ip>:<int>'],
    ['listen on fe80::1ff:fe23:4567:890a', 'listen on <ip>'],
    ['peer 2001:db8::8a2e:370:7334 gone', 'peer <ip> gone'],
    ['request 550e8400-e29b-41d4-a716-446655440000 failed', 'request <uuid> failed'],
    ['commit 3f786850e387550fdab836ed7e6dc881de23001b missing', 'commit <sha1> missing'],
    ['etag 9e107d9d372bb6826bd81d3542a419d6 stale', 'etag <md5> stale'],
    ['at 2026-11-25T21:52:44.123Z', 'at <date>'],
    ['on 2026-11-25 only', 'on <date> only'],
    ['Tue, 25 Nov 2026 21:52:44 GMT expired', '<date> expired'],
    ['ran at 21:52:44', 'ran at <time>'],
    ['pointer 0x7ffe1234 invalid', 'pointer <hex> invalid'],
    ['object a1b2c3d4e5 gone', 'object <hex> gone'],
    ['ratio 0.75 too low, delta -3', 'ratio <float> too low, delta <int>'],
    ['flag enabled=true name="bob" mode=\'x\'', 'flag enabled=<bool> name=<quoted_str> mode=<quoted_str>'],
  ])('%s → %s', (input, expected) => {
    expect(parameterize(input)).toBe(expected);
  });

  it('keeps words, versions and identifiers that merely contain digits', () => {
    expect(parameterize('user123 on v1.2.3 with deadbeef and utf8')).toBe('user123 on v1.2.3 with deadbeef and utf8');
    expect(parameterize('Cannot read properties of undefined (reading \'length\')')).toBe("Cannot read properties of undefined (reading 'length')");
  });

  it('does not mistake a clock time for an IPv6 address', () => {
    expect(parameterize('12:30:45')).toBe('<time>');
  });
});

describe('message trimming for grouping', () => {
  it('keeps the first two non-empty lines and marks the cut', () => {
    expect(trimMessage('first\n\nsecond\nthird\nfourth')).toBe('first\nsecond...');
    expect(trimMessage('only line')).toBe('only line');
  });

  it('trims then parameterizes', () => {
    expect(normalizeMessageForGrouping('User 7 failed\n  at line 12\n  at line 13')).toBe('User <int> failed\n  at line <int>...');
  });
});
