import { describe, expect, it } from 'vitest';
import { DEFAULT_LIST_FILTERS, listFiltersFromQuery, listFiltersQuery, sameListFilters } from '../../../src/renderer/lib/list-url';

describe('issue list filters in the URL', () => {
  it('leaves the defaults out, so the plain list is #/', () => {
    expect(listFiltersQuery(DEFAULT_LIST_FILTERS)).toBe('');
    expect(listFiltersQuery({ ...DEFAULT_LIST_FILTERS, query: '   ' })).toBe('');
    expect(listFiltersFromQuery('')).toEqual(DEFAULT_LIST_FILTERS);
  });

  it('writes every filter the user changed, in a fixed order, with Sentry sort names', () => {
    const filters = { status: 'resolved', sort: 'count', project: 2, query: 'level:error browser:"Chrome 120"' } as const;
    const query = listFiltersQuery(filters);
    expect(query).toBe('?query=level%3Aerror+browser%3A%22Chrome+120%22&status=resolved&sort=freq&project=2');
    expect(listFiltersFromQuery(query)).toEqual(filters);
    expect(listFiltersQuery({ ...DEFAULT_LIST_FILTERS, sort: 'firstSeen' })).toBe('?sort=new');
    expect(listFiltersQuery({ ...DEFAULT_LIST_FILTERS, sort: 'users' })).toBe('?sort=user');
    expect(listFiltersFromQuery('?sort=user').sort).toBe('users');
  });

  it('reads hand-typed links: %20 spaces, no leading ?, the API and label sort names', () => {
    expect(listFiltersFromQuery('query=TypeError%20level:error&sort=events')).toEqual({
      status: 'unresolved',
      sort: 'count',
      project: null,
      query: 'TypeError level:error',
    });
    expect(listFiltersFromQuery('?sort=firstSeen').sort).toBe('firstSeen');
    expect(listFiltersFromQuery('?sort=date').sort).toBe('lastSeen');
  });

  it('an is: term in the search names the tab, as a submitted search does', () => {
    expect(listFiltersFromQuery('?query=is:ignored&status=resolved').status).toBe('ignored');
    expect(listFiltersFromQuery('?query=TypeError&status=all').status).toBe('all');
  });

  it('unknown values fall back to the defaults instead of breaking the list', () => {
    expect(listFiltersFromQuery('?status=bogus&sort=up&project=-3')).toEqual(DEFAULT_LIST_FILTERS);
    expect(listFiltersFromQuery('?project=1.5').project).toBeNull();
    expect(listFiltersFromQuery('?project=abc').project).toBeNull();
  });

  it('compares filters as the server reads them (surrounding spaces of the search do not count)', () => {
    expect(sameListFilters({ ...DEFAULT_LIST_FILTERS, query: ' x ' }, { ...DEFAULT_LIST_FILTERS, query: 'x' })).toBe(true);
    expect(sameListFilters({ ...DEFAULT_LIST_FILTERS, project: 1 }, DEFAULT_LIST_FILTERS)).toBe(false);
    expect(sameListFilters({ ...DEFAULT_LIST_FILTERS, status: 'all' }, DEFAULT_LIST_FILTERS)).toBe(false);
  });
});
