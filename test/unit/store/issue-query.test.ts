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
        { key: 'release', value: 'app@1.0.0', negated: false },
        { key: 'environment', value: 'prod eu', negated: false },
        { key: 'browser', value: 'Chrome', negated: false },
      ],
      excluded: { levels: [], statuses: [], isNew: false, isRegression: false },
      has: [],
      invalid: [],
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
    expect(parseIssueQuery('level:loud').tags).toEqual([{ key: 'level', value: 'loud', negated: false }]);
  });

  it("reads Sentry's negation, has: and * wildcards", () => {
    const search = parseIssueQuery('!level:error -is:ignored !is:regression has:release !has:environment release:app@* -browser:"Chrome 1*" level:warn* Type*Error');
    expect(search.excluded).toEqual({ levels: ['error'], statuses: ['ignored'], isNew: false, isRegression: true });
    expect(search.levels).toEqual(['warning']);
    expect(search.has).toEqual([{ key: 'release', negated: false }, { key: 'environment', negated: true }]);
    expect(search.tags).toEqual([
      { key: 'release', value: 'app@*', negated: false },
      { key: 'browser', value: 'Chrome 1*', negated: true },
    ]);
    expect(search.text).toEqual(['Type*Error']);
    expect(search.invalid).toEqual([]);
  });

  it('lists the terms it cannot search, each with why', () => {
    expect(parseIssueQuery('is:bogus has:rel* level:z* -text stays').invalid).toEqual([
      'is:bogus: is: takes unresolved, resolved, ignored, new or regression',
      'has:rel*: has: takes one tag name, without "*"',
      'level:z*: matches no level (fatal, error, warning, info, debug)',
    ]);
    expect(parseIssueQuery('-text stays').text).toEqual(['-text', 'stays']);
  });
});
