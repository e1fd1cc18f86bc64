/**
 * Ingest's changes for live subscribers, batched: a crash loop at thousands of events a second
 * must not become thousands of stream messages (each a JSON string per subscriber, and a
 * re-render in the UI). Within one window each touched issue is sent once, with its newest
 * event and how many events it got; a window that creates or regresses an issue is sent at once,
 * so the change shows without delay and before its alert.
 */
import type { Issue } from '../../shared/issue';
import type { StreamMessage } from '../../shared/api';
import type { BatchOutcome, WrittenEvent } from '../store/ingest-writer';

export const LIVE_UPDATE_WINDOW_MS = 250;

interface IssueChange {
  created: boolean;
  newest: WrittenEvent | undefined;
  newEvents: number;
}

export interface LiveUpdateDeps {
  /** Current state of the given issues (one query per window). */
  issues: (ids: number[]) => Issue[];
  publish: (message: StreamMessage) => void;
  windowMs?: number;
}

export class LiveUpdates {
  private changes = new Map<number, IssueChange>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: LiveUpdateDeps) {}

  add(outcome: BatchOutcome): void {
    for (const id of outcome.createdIssueIds) this.change(id).created = true;
    for (const id of outcome.updatedIssueIds) this.change(id);
    for (const event of outcome.stored) {
      const change = this.change(event.issueId);
      change.newEvents++;
      change.newest = event;
    }
    if (outcome.createdIssueIds.length > 0 || outcome.alerts.length > 0) this.flush();
    else if (this.changes.size > 0) this.timer ??= setTimeout(() => this.flush(), this.deps.windowMs ?? LIVE_UPDATE_WINDOW_MS).unref();
  }

  /** Sends what is pending now (a new issue or regression, or shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const changes = this.changes;
    if (changes.size === 0) return;
    this.changes = new Map();
    const issues = new Map(this.deps.issues([...changes.keys()]).map((issue) => [issue.id, issue]));
    for (const [id, change] of changes) {
      const issue = issues.get(id);
      if (!issue) continue; // deleted or merged away in the meantime
      this.deps.publish({ type: change.created ? 'issue.created' : 'issue.updated', issue });
      if (change.newest) this.deps.publish({ type: 'event.created', event: change.newest, newEvents: change.newEvents });
    }
  }

  private change(issueId: number): IssueChange {
    let change = this.changes.get(issueId);
    if (!change) {
      change = { created: false, newest: undefined, newEvents: 0 };
      this.changes.set(issueId, change);
    }
    return change;
  }
}
