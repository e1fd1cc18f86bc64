/** The open issue and the one event shown (the detail loads one event at a time). */
import type { EventDetail, StreamMessage, UpdateIssueRequest } from '../../../shared/api';
import type { IssueDetail, IssueStatus } from '../../../shared/issue';
import { api, ApiRequestError } from '../api';
import { restoreRequest, statusChangeText } from '../status-change';
import { notices } from './notices.svelte';

class IssueDetailState {
  issue = $state.raw<IssueDetail | null>(null);
  event = $state.raw<EventDetail | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  eventError = $state<string | null>(null);
  /** New events arrived for this issue since the shown one was loaded. */
  newerEvents = $state(0);
  /** The linked event belongs to another issue (its own was merged away): where it is now. */
  movedEvent = $state.raw<{ issueId: number; eventId: string } | null>(null);

  #issueId: number | null = null;
  #generation = 0;

  /** Opens an issue (and an event of it: the given one, or the latest). */
  async open(issueId: number, eventId: string | null): Promise<void> {
    const generation = ++this.#generation;
    const sameIssue = this.#issueId === issueId && this.issue !== null;
    this.#issueId = issueId;
    this.loading = true;
    this.error = null;
    this.eventError = null;
    this.movedEvent = null;
    if (!sameIssue) {
      this.issue = null;
      this.event = null;
    }
    const eventRequest = (eventId ? api.event(eventId) : api.latestEvent(issueId)).catch((error: unknown) => {
      if (generation === this.#generation) this.eventError = eventErrorMessage(error, eventId);
      return null;
    });
    const moved = (event: EventDetail | null): boolean => {
      if (!event || event.issueId === issueId) return false;
      this.movedEvent = { issueId: event.issueId, eventId: event.eventId };
      return true;
    };
    try {
      const [issue, event] = await Promise.all([sameIssue ? Promise.resolve(this.issue) : api.issue(issueId), eventRequest]);
      if (generation !== this.#generation || moved(event)) return;
      this.issue = issue;
      this.event = event;
      this.newerEvents = 0;
    } catch (error) {
      // The issue is gone; its event may live on in the issue it was merged into.
      const event = await eventRequest;
      if (generation !== this.#generation || moved(event)) return;
      this.error = notices.message(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** The id of the issue's oldest or latest event (to navigate to it). */
  async endEventId(end: 'oldest' | 'latest'): Promise<string | null> {
    if (this.#issueId === null) return null;
    try {
      return (await (end === 'oldest' ? api.oldestEvent : api.latestEvent)(this.#issueId)).eventId;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  async refreshIssue(): Promise<void> {
    if (this.#issueId === null) return;
    try {
      this.issue = await api.issue(this.#issueId);
    } catch (error) {
      notices.error(error);
    }
  }

  /** Changes the open issue's status; the toast names it and offers Undo. */
  async setStatus(status: IssueStatus, resolveIn?: 'next-release'): Promise<void> {
    const issue = this.issue;
    if (!issue) return;
    const change: UpdateIssueRequest = resolveIn ? { status, resolveIn } : { status };
    try {
      const updated = await api.updateIssue(issue.id, change);
      if (this.issue?.id === issue.id) this.issue = { ...this.issue, ...updated };
      notices.info(statusChangeText([issue.title], change), { label: 'Undo', run: () => void this.#undo(issue) });
    } catch (error) {
      notices.error(error);
    }
  }

  async #undo(before: IssueDetail): Promise<void> {
    try {
      const updated = await api.updateIssue(before.id, restoreRequest(before));
      if (this.issue?.id === before.id) this.issue = { ...this.issue, ...updated };
      notices.info(`Restored “${before.title}”`);
    } catch (error) {
      notices.error(error);
    }
  }

  /**
   * The next newer event's id. The shown event's own link is stale once newer events arrived
   * while it was open, so it is asked for again then.
   */
  async newerEventId(): Promise<string | null> {
    const shown = this.event;
    if (!shown) return null;
    if (shown.nextEventId || this.newerEvents === 0) return shown.nextEventId;
    try {
      return (await api.event(shown.eventId)).nextEventId;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  async remove(): Promise<boolean> {
    if (!this.issue) return false;
    try {
      await api.deleteIssue(this.issue.id);
      notices.info(`Issue #${this.issue.id} deleted.`);
      this.issue = null;
      this.event = null;
      this.#issueId = null;
      return true;
    } catch (error) {
      notices.error(error);
      return false;
    }
  }

  /** Merges another issue with the open one; returns the issue that holds both (the first seen). */
  async merge(otherId: number): Promise<number | null> {
    const issue = this.issue;
    if (!issue) return null;
    try {
      const survivor = await api.mergeIssues([issue.id, otherId]);
      if (survivor.id === issue.id) this.issue = survivor;
      const gone = survivor.id === issue.id ? otherId : issue.id;
      notices.info(`Merged #${gone} into #${survivor.id}. Fingerprints below can split it again.`);
      return survivor.id;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  async unmerge(hashes: string[]): Promise<number | null> {
    if (!this.issue) return null;
    try {
      const created = await api.unmergeIssue(this.issue.id, hashes);
      await this.refreshIssue();
      notices.info(`Split ${hashes.length} fingerprint${hashes.length === 1 ? '' : 's'} into #${created.id}.`);
      return created.id;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  apply(message: StreamMessage): void {
    const issue = this.issue;
    if (!issue) return;
    if (message.type === 'issue.updated' && message.issue.id === issue.id) {
      this.issue = { ...issue, ...message.issue };
    } else if (message.type === 'event.created' && message.event.issueId === issue.id) {
      this.newerEvents += message.newEvents;
    } else if (message.type === 'issue.deleted' && message.issueId === issue.id) {
      this.error = 'This issue was deleted.';
    }
  }
}

/** A deep link to a malformed or removed event says so plainly, not with the API's reason. */
function eventErrorMessage(error: unknown, eventId: string | null): string {
  const missing = error instanceof ApiRequestError && (error.status === 404 || error.status === 400);
  if (!missing) return notices.message(error);
  return eventId ? `No event ${eventId} here: it may have been removed by retention.` : 'This issue has no events left.';
}

export const issueDetail = new IssueDetailState();
