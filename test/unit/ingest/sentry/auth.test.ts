import { describe, expect, it } from 'vitest';
import { parseDsn, parseSentryAuthHeader } from '../../../../src/main/ingest/sentry/auth';

describe('parseDsn', () => {
  it.each([
    ['https://abc123@o1.ingest.sentry.io/42', { key: 'abc123', projectId: 42 }],
    ['http://abc123:secret@127.0.0.1:8969/1', { key: 'abc123', projectId: 1 }],
    ['https://abc123@example.com/sentry/prefix/7/', { key: 'abc123', projectId: 7 }],
  ])('%s', (dsn, expected) => {
    expect(parseDsn(dsn)).toEqual(expected);
  });

  it.each([['not a url'], ['https://example.com/1'], ['https://abc@example.com/'], ['https://abc@example.com/x'], ['https://%zz@example.com/1']])(
    'rejects %s',
    (dsn) => {
      expect(parseDsn(dsn)).toBeUndefined();
    },
  );
});

describe('parseSentryAuthHeader', () => {
  it('reads the fields with or without the Sentry prefix, tolerating spaces and quotes', () => {
    expect(parseSentryAuthHeader('Sentry sentry_version=7, sentry_client=raven-python/6.0 ,sentry_key="abc", broken, =x')).toEqual({
      sentry_version: '7',
      sentry_client: 'raven-python/6.0',
      sentry_key: 'abc',
    });
    expect(parseSentryAuthHeader('sentry_key=abc')).toEqual({ sentry_key: 'abc' });
  });
});
