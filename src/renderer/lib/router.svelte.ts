/**
 * Hash routing: `#/` (the issue list, its filters in the query: see list-url.ts), `#/issues/42`,
 * `#/issues/42/events/<id>`, `#/projects`, `#/settings`.
 */
import { DEFAULT_LIST_FILTERS, listFiltersFromQuery, listFiltersQuery, type ListFilters } from './list-url';

export type Route =
  | { name: 'issues'; filters: ListFilters }
  | { name: 'issue'; issueId: number; eventId: string | null }
  | { name: 'projects' }
  | { name: 'settings' }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const [rawPath = '', ...queryParts] = hash.replace(/^#/, '').split('?');
  const path = rawPath || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const list = { name: 'issues', filters: listFiltersFromQuery(queryParts.join('?')) } as const;
  if (parts.length === 0) return list;
  if (parts[0] === 'projects' && parts.length === 1) return { name: 'projects' };
  if (parts[0] === 'settings' && parts.length === 1) return { name: 'settings' };
  if (parts[0] === 'issues') {
    if (parts.length === 1) return list;
    const issueId = Number(parts[1]);
    if (Number.isInteger(issueId) && issueId > 0) {
      if (parts.length === 2) return { name: 'issue', issueId, eventId: null };
      if (parts.length === 4 && parts[2] === 'events' && parts[3]) {
        return { name: 'issue', issueId, eventId: parts[3] };
      }
    }
  }
  return { name: 'not-found', path };
}

/** The list's filters as its state holds them; the state registers itself (it owns them, the router does not). */
let currentListFilters: () => ListFilters = () => DEFAULT_LIST_FILTERS;
export function provideListFilters(read: () => ListFilters): void {
  currentListFilters = read;
}

export const href = {
  /** The issue list; without filters, the list as the user left it, so links back keep its filters. */
  issues: (filters: ListFilters = currentListFilters()) => `#/${listFiltersQuery(filters)}`,
  issue: (id: number) => `#/issues/${id}`,
  event: (issueId: number, eventId: string) => `#/issues/${issueId}/events/${encodeURIComponent(eventId)}`,
  projects: () => '#/projects',
  settings: () => '#/settings',
};

class Router {
  route = $state<Route>(parseRoute(location.hash));
  /** True once the user navigated inside the app, so Esc can use the browser's own history. */
  #navigatedInApp = false;

  constructor() {
    window.addEventListener('hashchange', () => {
      this.#navigatedInApp = true;
      this.#show(location.hash);
    });
  }

  /**
   * Navigates, and shows the new page at once rather than on the later hashchange: keys typed
   * right after a shortcut (e.g. "/" then a search) then reach the new page, not the old one.
   */
  go(hash: string): void {
    if (location.hash === hash) return;
    location.hash = hash;
    this.#navigatedInApp = true;
    this.#show(hash);
  }

  /** Like go(), without a history entry: for redirects, so Back does not land on them again. */
  replace(hash: string): void {
    if (location.hash === hash) return;
    location.replace(hash);
    this.#show(hash);
  }

  /**
   * Esc: from an issue, to the issue list with its filters, not back through
   * the events visited on the way; elsewhere back where the user came from, or to the list when
   * the page was opened by a deep link.
   */
  back(): void {
    if (this.route.name === 'issues') return;
    if (this.route.name !== 'issue' && this.#navigatedInApp && history.length > 1) {
      history.back();
    } else {
      this.go(href.issues());
    }
  }

  #show(hash: string): void {
    const next = parseRoute(hash);
    if (JSON.stringify(next) !== JSON.stringify(this.route)) this.route = next;
  }
}

export const router = new Router();
