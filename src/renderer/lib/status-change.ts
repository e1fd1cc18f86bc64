/** What a status change says in its toast, and how Undo puts issues back. Pure. */
import type { BulkUpdateIssuesRequest, UpdateIssueRequest } from '../../shared/api';
import type { Issue, IssueStatus } from '../../shared/issue';

const VERB: Record<IssueStatus, string> = { resolved: 'Resolved', ignored: 'Ignored', unresolved: 'Unresolved' };
const MAX_TITLE = 80;

function shortTitle(title: string): string {
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1).trimEnd()}…` : title;
}

/** `Resolved “TypeError: …”`, `Ignored 3 issues`, `Resolved “…” in the next release`. */
export function statusChangeText(titles: string[], change: UpdateIssueRequest): string {
  const [only] = titles;
  const what = titles.length === 1 && only !== undefined ? `“${shortTitle(only)}”` : `${titles.length} issues`;
  const when = change.status === 'resolved' && change.resolveIn === 'next-release' ? ' in the next release' : '';
  return `${VERB[change.status]} ${what}${when}`;
}

type StatusBefore = Pick<Issue, 'id' | 'status' | 'resolvedInNextRelease'>;

/** The change that puts one issue back in the status it had. */
export function restoreRequest(before: StatusBefore): UpdateIssueRequest {
  return before.status === 'resolved' && before.resolvedInNextRelease
    ? { status: 'resolved', resolveIn: 'next-release' }
    : { status: before.status };
}

/** The requests that restore each issue's status as it was (one per distinct earlier status). */
export function undoRequests(before: StatusBefore[]): BulkUpdateIssuesRequest[] {
  const groups = new Map<string, BulkUpdateIssuesRequest>();
  for (const issue of before) {
    const change = restoreRequest(issue);
    const key = `${change.status}:${change.resolveIn ?? ''}`;
    const group = groups.get(key) ?? { ids: [], ...change };
    group.ids.push(issue.id);
    groups.set(key, group);
  }
  return [...groups.values()];
}
