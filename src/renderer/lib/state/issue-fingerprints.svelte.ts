/**
 * An issue's fingerprints with the events each holds (the Fingerprints section's data). Loaded
 * when the issue is opened and after a merge or unmerge, not on every new event: counting scans
 * all of the issue's events on the server, on the thread that also takes ingest.
 */
import type { IssueFingerprint } from '../../../shared/api';
import { api } from '../api';
import { notices } from './notices.svelte';

export class IssueFingerprintsState {
  /** null until the first answer for the current issue. */
  list = $state.raw<IssueFingerprint[] | null>(null);
  error = $state<string | null>(null);

  /** Only the newest load's answer is shown. */
  #generation = 0;

  async load(issueId: number): Promise<void> {
    const generation = ++this.#generation;
    try {
      const answer = await api.issueHashes(issueId);
      if (generation !== this.#generation) return;
      this.list = answer.fingerprints;
      this.error = null;
    } catch (error) {
      if (generation === this.#generation) this.error = notices.message(error);
    }
  }

  /** Forgets the previous issue's list while the next one loads. */
  clear(): void {
    this.#generation++;
    this.list = null;
    this.error = null;
  }
}

/** Why a fingerprint's checkbox is off, or null when it can be chosen for unmerge. */
export function unmergeBlocker(fingerprint: IssueFingerprint, holdingEvents: number): string | null {
  if (fingerprint.eventCount === 0) {
    return 'No events of this issue were grouped by this fingerprint — it matched alongside another one. Unmerging it would move nothing.';
  }
  if (holdingEvents < 2) return 'This is the only fingerprint holding events: unmerging it would leave this issue empty.';
  return null;
}
