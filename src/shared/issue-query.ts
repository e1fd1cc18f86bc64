/**
 * Parses the issue list's search box: free text plus `key:value` filters, as in Sentry
 * (`release:1.2 environment:prod level:error is:unresolved browser.name:Chrome "quoted text"`).
 * Shared: the server filters by it, and the renderer edits the search term by term with it.
 */
import type { Level } from './event';
import type { IssueStatus } from './issue';

export interface IssueSearch {
  text: string[];
  levels: Level[];
  statuses: IssueStatus[];
  isNew: boolean;
  isRegression: boolean;
  /** Tag filters, release and environment included (they are tags of the issue's events). */
  tags: { key: string; value: string }[];
}

const LEVELS = new Set<string>(['fatal', 'error', 'warning', 'info', 'debug']);
const STATUSES = new Set<string>(['unresolved', 'resolved', 'ignored']);
const TOKEN = /(\S+?):"([^"]*)"|(\S+?):(\S+)|"([^"]*)"|(\S+)/g;

/** The search's terms as typed (a quoted value stays with its key). */
export function queryTerms(query: string): string[] {
  return [...query.matchAll(TOKEN)].map((match) => match[0]);
}

/** A term's key, lower-cased; null for free text (a URL such as `http://…` is text, not a key). */
export function termKey(term: string): string | null {
  const match = [...term.matchAll(TOKEN)][0];
  return match ? keyOf(match) ?? null : null;
}

function keyOf(match: RegExpMatchArray): string | undefined {
  const key = (match[1] ?? match[3])?.toLowerCase();
  return key === undefined || key.startsWith('http') ? undefined : key;
}

export function parseIssueQuery(query: string): IssueSearch {
  const search: IssueSearch = { text: [], levels: [], statuses: [], isNew: false, isRegression: false, tags: [] };
  for (const match of query.matchAll(TOKEN)) {
    const key = keyOf(match);
    const value = match[2] ?? match[4];
    if (key === undefined || value === undefined) {
      const text = match[5] ?? match[6] ?? match[0];
      if (text.trim()) search.text.push(text);
      continue;
    }
    if (key === 'level' && LEVELS.has(value.toLowerCase())) search.levels.push(value.toLowerCase() as Level);
    else if (key === 'is' && STATUSES.has(value.toLowerCase())) search.statuses.push(value.toLowerCase() as IssueStatus);
    else if (key === 'is' && value.toLowerCase() === 'new') search.isNew = true;
    else if (key === 'is' && value.toLowerCase() === 'regression') search.isRegression = true;
    else search.tags.push({ key, value });
  }
  return search;
}
