/** The open issue and the one event shown (the detail loads one event at a time). */
import type { EventDetail, StreamMessage } from '../../../shared/api';
import type { IssueDetail, IssueStatus } from '../../../shared/issue';
import { api } from '../api';
import { notices } from './notices.svelte';

class IssueDetailState {
  issue = $state.raw<IssueDetail | null>(null);
  event = $state.raw<EventDetail | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  eventError = $state<string | null>(null);
  /** New events arrived for this issue since the shown one was loaded. */
  newerEvents = $state(0);

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
    if (!sameIssue) {
      this.issue = null;
      this.event = null;
    }
    try {
      const [issue, event] = await Promise.all([
        sameIssue ? Promise.resolve(this.issue) : api.issue(issueId),
        (eventId ? api.event(eventId) : api.latestEvent(issueId)).catch((error: unknown) => {
          if (generation === this.#generation) this.eventError = notices.message(error);
          return null;
        }),
      ]);
      if (generation !== this.#generation) return;
      this.issue = issue;
      this.event = event;
      this.newerEvents = 0;
    } catch (error) {
      if (generation === this.#generation) this.error = notices.message(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async oldestEventId(): Promise<string | null> {
    if (this.#issueId === null) return null;
    try {
      return (await api.oldestEvent(this.#issueId)).eventId;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  async latestEventId(): Promise<string | null> {
    if (this.#issueId === null) return null;
    try {
      return (await api.latestEvent(this.#issueId)).eventId;
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

  async setStatus(status: IssueStatus, resolveIn?: 'next-release'): Promise<void> {
    const issue = this.issue;
    if (!issue) return;
    try {
      const updated = await api.updateIssue(issue.id, resolveIn ? { status, resolveIn } : { status });
      this.issue = { ...issue, ...updated };
      notices.info(resolveIn ? 'Resolved in the next release.' : `Issue marked ${status}.`);
    } catch (error) {
      notices.error(error);
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

export const issueDetail = new IssueDetailState();
