import { describe, expect, it } from 'vitest';
import { parseIssueQuery } from '../../../src/shared/issue-query';

describe('parseIssueQuery', () => {
  it('splits free text from filters', () => {
    expect(parseIssueQuery('TypeError release:app@1.0.0 environment:"prod eu" level:error is:resolved browser:Chrome "not found"')).toEqual({
      text: ['TypeError', 'not found'],
      levels: ['error'],
      statuses: ['resolved'],
      isNew: false,
      isRegression: false,
      tags: [
        { key: 'release', value: 'app@1.0.0' },
        { key: 'environment', value: 'prod eu' },
        { key: 'browser', value: 'Chrome' },
      ],
    });
  });

  it('understands is:new and is:regression, and keeps URLs as text', () => {
    const search = parseIssueQuery('is:new is:regression http://example.com/x');
    expect(search.isNew).toBe(true);
    expect(search.isRegression).toBe(true);
    expect(search.text).toEqual(['http://example.com/x']);
    expect(search.tags).toEqual([]);
  });

  it('an unknown level is a tag filter, not silently dropped', () => {
    expect(parseIssueQuery('level:loud').tags).toEqual([{ key: 'level', value: 'loud' }]);
  });
});
