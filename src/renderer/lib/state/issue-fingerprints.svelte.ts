/**
 * An issue's fingerprints with the events each holds (the Fingerprints section's data). Reloads
 * are coalesced: while one is on its way, further requests make ONE more load, a moment after it,
 * so a burst of new events does not become a burst of requests (counting scans the issue's events).
 */
import type { IssueFingerprint } from '../../../shared/api';
import { api } from '../api';
import { notices } from './notices.svelte';

/** The pause before a load that requests made while the previous one was on its way. */
const COALESCE_MS = 1000;

export class IssueFingerprintsState {
  /** null until the first answer for the current issue. */
  list = $state.raw<IssueFingerprint[] | null>(null);
  error = $state<string | null>(null);

  #issueId: number | null = null;
  #loading = false;
  #again = false;

  async load(issueId: number): Promise<void> {
    if (this.#issueId !== issueId) {
      this.#issueId = issueId;
      this.list = null;
      this.error = null;
    }
    if (this.#loading) {
      this.#again = true;
      return;
    }
    this.#loading = true;
    try {
      do {
        this.#again = false;
        const asked: number | null = this.#issueId;
        if (asked === null) break;
        try {
          const answer = await api.issueHashes(asked);
          if (asked === this.#issueId) {
            this.list = answer.fingerprints;
            this.error = null;
          }
        } catch (error) {
          if (asked === this.#issueId) this.error = notices.message(error);
        }
        if (asked !== this.#issueId) this.#again = true;
        else if (this.#again) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      } while (this.#again);
    } finally {
      this.#loading = false;
    }
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
