/**
 * The issue list: filters, pages, selection, and live updates from the stream. The filters live
 * here and in the list's URL: the user's changes write the URL (navigate()), and a URL the user
 * arrives at (Back, a link, a deep link) is read by followUrl(); nothing else touches the URL.
 */
import type { IssueSort, IssueStatusFilter, StreamMessage, UpdateIssueRequest } from '../../../shared/api';
import type { Issue, IssueStatus } from '../../../shared/issue';
import { api } from '../api';
import { sameListFilters, type ListFilters } from '../list-url';
import { href, provideListFilters, router } from '../router.svelte';
import { statusOfQuery, withTerm, withoutStatusTerms } from '../search-terms';
import { statusChangeText, undoRequests } from '../status-change';
import { notices } from './notices.svelte';

const PAGE_SIZE = 50;

class IssueListState {
  /** The status tab. One state with the search's `is:` terms: see search() and showStatus(). */
  status = $state<IssueStatusFilter>('unresolved');
  project = $state<number | null>(null);
  query = $state('');
  sort = $state<IssueSort>('lastSeen');

  issues = $state.raw<Issue[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);

  /** Keyboard cursor (index into `issues`). */
  focused = $state(0);
  selected = $state(new Set<number>());
  /** Set by "/" outside the list: the list focuses its search box when it shows. */
  searchFocusRequested = $state(false);

  #generation = 0;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;

  get filters() {
    return {
      status: this.status,
      project: this.project ?? undefined,
      query: this.query.trim() || undefined,
      sort: this.sort,
    };
  }

  /** The filters as the URL carries them. */
  get listFilters(): ListFilters {
    return { status: this.status, sort: this.sort, project: this.project, query: this.query };
  }

  /**
   * The list's URL changed (Back, a link, a deep link): its filters become the list's, and the
   * URL is rewritten in its canonical form (defaults left out). True when the filters changed.
   */
  followUrl(filters: ListFilters): boolean {
    const changed = !sameListFilters(filters, this.listFilters);
    if (changed) {
      this.status = filters.status;
      this.sort = filters.sort;
      this.project = filters.project;
      this.query = filters.query;
      this.selected = new Set();
      this.focused = 0;
    }
    router.replace(href.issues(this.listFilters));
    return changed;
  }

  /** A filter the user chose: a new history entry, so Back returns to the list as it was. */
  #navigate(): void {
    if (router.route.name === 'issues') router.go(href.issues(this.listFilters));
    void this.reload();
  }

  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await api.issues({ ...this.filters, limit: PAGE_SIZE });
      if (generation !== this.#generation) return;
      this.issues = page.issues;
      this.nextCursor = page.nextCursor;
      this.focused = Math.min(this.focused, Math.max(0, page.issues.length - 1));
      this.selected = new Set([...this.selected].filter((id) => page.issues.some((i) => i.id === id)));
      this.loaded = true;
    } catch (error) {
      if (generation === this.#generation) this.error = notices.message(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await api.issues({ ...this.filters, limit: PAGE_SIZE, cursor: this.nextCursor });
      if (generation !== this.#generation) return;
      const known = new Set(this.issues.map((i) => i.id));
      this.issues = [...this.issues, ...page.issues.filter((i) => !known.has(i.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      notices.error(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /**
   * Live: known rows update in place at once; anything that may add, drop or reorder rows
   * refreshes the head of the list (debounced), keeping the rows loaded below it.
   */
  apply(message: StreamMessage): void {
    if (message.type === 'issue.updated') {
      const index = this.issues.findIndex((i) => i.id === message.issue.id);
      if (index >= 0) {
        const next = [...this.issues];
        next[index] = message.issue;
        this.issues = next;
      }
      this.#scheduleHeadRefresh();
    } else if (message.type === 'issue.created') {
      this.#scheduleHeadRefresh();
    } else if (message.type === 'issue.deleted') {
      this.issues = this.issues.filter((i) => i.id !== message.issueId);
    }
  }

  #scheduleHeadRefresh(): void {
    if (this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      void this.#refreshHead();
    }, 250);
  }

  async #refreshHead(): Promise<void> {
    if (this.loading) return this.#scheduleHeadRefresh();
    const generation = this.#generation;
    try {
      const page = await api.issues({ ...this.filters, limit: PAGE_SIZE });
      if (generation !== this.#generation) return;
      const headIds = new Set(page.issues.map((i) => i.id));
      const tail = this.issues.slice(PAGE_SIZE).filter((i) => !headIds.has(i.id));
      const focusedId = this.issues[this.focused]?.id;
      this.issues = [...page.issues, ...tail];
      if (this.issues.length <= PAGE_SIZE) this.nextCursor = page.nextCursor;
      const refocus = this.issues.findIndex((i) => i.id === focusedId);
      if (refocus >= 0) this.focused = refocus;
      this.loaded = true;
    } catch {
      // A missed live refresh is harmless: the next message or reload catches up.
    }
  }

  toggleSelected(id: number): void {
    const next = new Set(this.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.selected = next;
  }

  selectAll(on: boolean): void {
    this.selected = new Set(on ? this.issues.map((i) => i.id) : []);
  }

  /** Changes the status of issues in the list; the toast names them and offers Undo. */
  async setStatus(ids: number[], status: IssueStatus, resolveIn?: 'next-release'): Promise<void> {
    if (ids.length === 0) return;
    const change: UpdateIssueRequest = resolveIn ? { status, resolveIn } : { status };
    const before = ids.map((id) => this.issues.find((i) => i.id === id)).filter((i): i is Issue => i !== undefined);
    try {
      const { issues } = await api.bulkUpdateIssues({ ids, ...change });
      this.#replaceRows(issues);
      const titles = ids.map((id) => before.find((i) => i.id === id)?.title ?? `#${id}`);
      notices.info(statusChangeText(titles, change), { label: 'Undo', run: () => void this.#undo(before) });
    } catch (error) {
      notices.error(error);
    }
  }

  async #undo(before: Issue[]): Promise<void> {
    try {
      for (const request of undoRequests(before)) await api.bulkUpdateIssues(request);
      notices.info(before.length === 1 && before[0] ? `Restored “${before[0].title}”` : `Restored ${before.length} issues`);
    } catch (error) {
      notices.error(error);
    }
    await this.reload();
  }

  /** Updated rows replace theirs; rows that left the shown status drop out. */
  #replaceRows(updated: Issue[]): void {
    const byId = new Map(updated.map((i) => [i.id, i]));
    const statusOf = statusOfQuery(this.query) ?? this.status;
    const keep = statusOf === 'all' ? () => true : (i: Issue) => i.status === statusOf;
    this.issues = this.issues.map((i) => byId.get(i.id) ?? i).filter(keep);
    this.selected = new Set();
    this.focused = Math.min(this.focused, Math.max(0, this.issues.length - 1));
  }

  async merge(ids: number[]): Promise<number | null> {
    try {
      const survivor = await api.mergeIssues(ids);
      this.selected = new Set();
      await this.reload();
      notices.info(`Merged ${ids.length} issues into #${survivor.id}.`);
      return survivor.id;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  /** Runs a search; an `is:resolved` (etc.) in it selects that status tab. */
  search(query: string): void {
    this.query = query;
    this.status = statusOfQuery(query) ?? this.status;
    this.#navigate();
  }

  /** A status tab: it replaces any `is:<status>` term of the search, so the two never disagree. */
  showStatus(status: IssueStatusFilter): void {
    this.query = withoutStatusTerms(this.query);
    this.status = status;
    this.#navigate();
  }

  showProject(project: number | null): void {
    this.project = project;
    this.#navigate();
  }

  sortBy(sort: IssueSort): void {
    this.sort = sort;
    this.#navigate();
  }

  /**
   * A tag clicked on an issue: adds `key:value` to the search, replacing a term with the same key
   * (Sentry's behaviour). Issues of any status are shown unless the search names one with `is:`,
   * since the issue the tag came from may be resolved or ignored.
   */
  filterByTag(key: string, value: string): void {
    this.query = withTerm(this.query, key, value);
    this.status = statusOfQuery(this.query) ?? 'all';
  }
}

export const issueList = new IssueListState();
provideListFilters(() => issueList.listFilters);
