/**
 * Editing the issue search as terms (`TypeError release:1.2 browser:"Chrome 120" is:resolved`),
 * with the parser the server filters by (src/shared/issue-query.ts). Pure.
 */
import type { IssueStatusFilter } from '../../shared/api';
import { parseIssueQuery, queryTerms as splitTerms, termKey } from '../../shared/issue-query';

export { splitTerms, termKey };

/** `key:value`, quoted when the value has spaces (the search splits on them). */
export function formatTerm(key: string, value: string): string {
  return /\s/.test(value) ? `${key}:"${value.replace(/"/g, '')}"` : `${key}:${value}`;
}

/**
 * Adds `key:value` to the search, as Sentry does when a tag is clicked: a term with the same key
 * is replaced where it stands (there is one value per key), any other term is kept.
 */
export function withTerm(query: string, key: string, value: string): string {
  const wanted = key.toLowerCase();
  const term = formatTerm(key, value);
  const terms = splitTerms(query);
  const at = terms.findIndex((t) => termKey(t) === wanted);
  if (at < 0) return [...terms, term].join(' ');
  return terms.flatMap((t, index) => (index === at ? [term] : termKey(t) === wanted ? [] : [t])).join(' ');
}

function isStatusTerm(term: string): boolean {
  return parseIssueQuery(term).statuses.length > 0;
}

/**
 * The status the search asks for with `is:resolved` and the like: null when it names none, "all"
 * when it names several (the server then shows any of them).
 */
export function statusOfQuery(query: string): IssueStatusFilter | null {
  const search = parseIssueQuery(query);
  const named = new Set(search.statuses);
  // Only `!is:…` terms: the server shows every status but those.
  if (named.size === 0) return search.excluded.statuses.length > 0 ? 'all' : null;
  if (named.size > 1) return 'all';
  return [...named][0] ?? null;
}

/** The search without its `is:<status>` terms (`is:new`, `is:regression` stay: they are not tabs). */
export function withoutStatusTerms(query: string): string {
  return splitTerms(query).filter((t) => !isStatusTerm(t)).join(' ');
}
