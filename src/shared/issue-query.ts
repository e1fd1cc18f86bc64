/**
 * Parses the issue list's search box: free text plus `key:value` filters, as in Sentry
 * (`release:1.2 environment:prod level:error is:unresolved browser.name:Chrome "quoted text"`),
 * with Sentry's negation (`!level:error` or `-level:error`), `has:key` (`!has:release`) and `*`
 * wildcards in values (`release:app@*`) and free text. A term that cannot be searched is listed
 * in `invalid` with its reason, never silently matched against nothing.
 * Shared: the server filters by it, and the renderer edits the search term by term with it.
 */
import type { Level } from './event';
import type { IssueStatus } from './issue';

export interface TagFilter {
  key: string;
  /** May hold `*` (any run of characters). */
  value: string;
  /** `!key:value`: issues that never had this value. */
  negated: boolean;
}

/** The built-in filters one side (wanted or excluded) asks for. */
export interface IssueFlags {
  levels: Level[];
  statuses: IssueStatus[];
  isNew: boolean;
  isRegression: boolean;
}

export interface IssueSearch extends IssueFlags {
  /** Free text; `*` is a wildcard. */
  text: string[];
  /** Tag filters, release and environment included (they are tags of the issue's events). */
  tags: TagFilter[];
  /** `!level:`, `!is:` terms: issues matching none of them. */
  excluded: IssueFlags;
  /** `has:key` (an issue with any value of that tag) and `!has:key` (with none). */
  has: { key: string; negated: boolean }[];
  /** Terms that cannot be searched, each as `term: why`. */
  invalid: string[];
}

const LEVELS: readonly Level[] = ['fatal', 'error', 'warning', 'info', 'debug'];
const STATUSES = new Set<string>(['unresolved', 'resolved', 'ignored']);
const IS_VALUES = 'unresolved, resolved, ignored, new or regression';
const TOKEN = /(\S+?):"([^"]*)"|(\S+?):(\S+)|"([^"]*)"|(\S+)/g;

/** The search's terms as typed (a quoted value stays with its key). */
export function queryTerms(query: string): string[] {
  return [...query.matchAll(TOKEN)].map((match) => match[0]);
}

/** A term's key, lower-cased, with its negation (`!level`); null for free text (a URL such as `http://…` is text, not a key). */
export function termKey(term: string): string | null {
  const match = [...term.matchAll(TOKEN)][0];
  return match ? keyOf(match) ?? null : null;
}

function keyOf(match: RegExpMatchArray): string | undefined {
  const key = (match[1] ?? match[3])?.toLowerCase();
  return key === undefined || key.startsWith('http') ? undefined : key;
}

/** A value's `*` wildcards as a whole-value test. */
export function wildcardPattern(value: string): RegExp {
  const body = value.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function emptyFlags(): IssueFlags {
  return { levels: [], statuses: [], isNew: false, isRegression: false };
}

export function parseIssueQuery(query: string): IssueSearch {
  const search: IssueSearch = { ...emptyFlags(), text: [], tags: [], excluded: emptyFlags(), has: [], invalid: [] };
  for (const match of query.matchAll(TOKEN)) {
    const rawKey = keyOf(match);
    const value = match[2] ?? match[4];
    if (rawKey === undefined || value === undefined) {
      const text = match[5] ?? match[6] ?? match[0];
      if (text.trim()) search.text.push(text);
      continue;
    }
    const negated = /^[!-]/.test(rawKey);
    const key = negated ? rawKey.slice(1) : rawKey;
    const flags = negated ? search.excluded : search;
    const term = match[0];
    if (key === '') search.invalid.push(`${term}: a filter needs a key before ":"`);
    else if (value === '') search.invalid.push(`${term}: a filter needs a value after ":" (quote one with spaces: ${key}:"a b")`);
    else if (key === 'has') {
      if (value.includes('*')) search.invalid.push(`${term}: has: takes one tag name, without "*"`);
      else search.has.push({ key: value.toLowerCase() === 'level' ? 'level' : value, negated });
    } else if (key === 'is') parseIs(term, value.toLowerCase(), flags, search.invalid);
    else if (key === 'level') {
      const levels = value.includes('*') ? LEVELS.filter((level) => wildcardPattern(value).test(level)) : LEVELS.filter((level) => level === value.toLowerCase());
      if (levels.length > 0) flags.levels.push(...levels);
      else if (value.includes('*')) search.invalid.push(`${term}: matches no level (${LEVELS.join(', ')})`);
      // An unknown level is still a tag filter: a tag may be named "level" by the SDK.
      else search.tags.push({ key, value, negated });
    } else search.tags.push({ key, value, negated });
  }
  return search;
}

function parseIs(term: string, value: string, flags: IssueFlags, invalid: string[]): void {
  if (STATUSES.has(value)) flags.statuses.push(value as IssueStatus);
  else if (value === 'new') flags.isNew = true;
  else if (value === 'regression') flags.isRegression = true;
  else invalid.push(`${term}: is: takes ${IS_VALUES}`);
}
