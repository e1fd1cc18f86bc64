/**
 * Parses the issue list's search box: free text plus `key:value` filters, as in Sentry
 * (`release:1.2 environment:prod level:error is:unresolved browser.name:Chrome "quoted text"`).
 */
import type { Level } from '../../shared/event';
import type { IssueStatus } from '../../shared/issue';

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

export function parseIssueQuery(query: string): IssueSearch {
  const search: IssueSearch = { text: [], levels: [], statuses: [], isNew: false, isRegression: false, tags: [] };
  for (const match of query.matchAll(TOKEN)) {
    const key = (match[1] ?? match[3])?.toLowerCase();
    const value = match[2] ?? match[4];
    if (key === undefined || value === undefined || key.startsWith('http')) {
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
