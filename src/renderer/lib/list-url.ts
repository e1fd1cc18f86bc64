/**
 * The issue list's filters as the query of its hash route (`#/?query=…&status=…&sort=…&project=…`),
 * so a filtered list survives Back, reloads and can be shared. Defaults are left out. Pure.
 */
import type { IssueSort, IssueStatusFilter } from '../../shared/api';
import { statusOfQuery } from './search-terms';

export interface ListFilters {
  status: IssueStatusFilter;
  sort: IssueSort;
  project: number | null;
  /** The search as the user submitted it. */
  query: string;
}

export const DEFAULT_LIST_FILTERS: Readonly<ListFilters> = { status: 'unresolved', sort: 'lastSeen', project: null, query: '' };

const STATUSES: readonly IssueStatusFilter[] = ['unresolved', 'resolved', 'ignored', 'all'];

// Sentry's own `sort` values in its issue URLs, so a Sentry user reads and types the same ones.
const SORT_PARAMS: Record<IssueSort, string> = { lastSeen: 'date', firstSeen: 'new', count: 'freq', users: 'user' };
const SORT_BY_PARAM = new Map<string, IssueSort>([
  ...Object.entries(SORT_PARAMS).map(([sort, param]) => [param, sort as IssueSort] as const),
  // The API's names and the UI label also read, for hand-typed links.
  ['lastSeen', 'lastSeen'],
  ['firstSeen', 'firstSeen'],
  ['count', 'count'],
  ['events', 'count'],
  ['users', 'users'],
]);

/** Filters from a route's query string (with or without the `?`); unknown values fall back to the defaults. */
export function listFiltersFromQuery(search: string): ListFilters {
  const params = new URLSearchParams(search.replace(/^\?/, ''));
  const query = params.get('query') ?? '';
  const status = params.get('status');
  const project = Number(params.get('project'));
  return {
    // An `is:` term in the search names the tab, as when the search is submitted.
    status: statusOfQuery(query) ?? (STATUSES.find((s) => s === status) ?? DEFAULT_LIST_FILTERS.status),
    sort: SORT_BY_PARAM.get(params.get('sort') ?? '') ?? DEFAULT_LIST_FILTERS.sort,
    project: Number.isSafeInteger(project) && project > 0 ? project : null,
    query,
  };
}

/** The route query for these filters: '' for the defaults, else `?name=value&…` in a fixed order. */
export function listFiltersQuery(filters: ListFilters): string {
  const params = new URLSearchParams();
  if (filters.query.trim()) params.set('query', filters.query.trim());
  if (filters.status !== DEFAULT_LIST_FILTERS.status) params.set('status', filters.status);
  if (filters.sort !== DEFAULT_LIST_FILTERS.sort) params.set('sort', SORT_PARAMS[filters.sort]);
  if (filters.project !== null) params.set('project', String(filters.project));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function sameListFilters(a: ListFilters, b: ListFilters): boolean {
  return a.status === b.status && a.sort === b.sort && a.project === b.project && a.query.trim() === b.query.trim();
}
