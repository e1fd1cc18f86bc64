/** Ingest refusals of the last 24 hours (`GET /api/refusals`), kept live from the stream. */
import type { StreamMessage } from '../../../shared/api';
import type { Refusal } from '../../../shared/refusal';
import { api } from '../api';

const HOUR = 3_600_000;

const sameEntry = (a: Refusal, b: Refusal) => a.projectId === b.projectId && a.reason === b.reason && a.status === b.status;

class RefusalsState {
  refusals = $state.raw<Refusal[]>([]);
  /** lastAt of each entry the user dismissed: it shows again when a newer refusal comes. */
  #dismissed = $state.raw<Map<string, string>>(new Map());

  async load(): Promise<void> {
    try {
      this.refusals = (await api.refusals()).refusals;
    } catch {
      // The banner is a hint: a failed load leaves it empty, and the stream fills it in.
    }
  }

  apply(message: StreamMessage): void {
    // The server forgets a deleted project's refusals too (its id may be given out again).
    if (message.type === 'project.deleted') this.refusals = this.refusals.filter((r) => r.projectId !== message.projectId);
    if (message.type !== 'refusal') return;
    const index = this.refusals.findIndex((r) => sameEntry(r, message.refusal));
    this.refusals = index >= 0 ? this.refusals.with(index, message.refusal) : [message.refusal, ...this.refusals];
  }

  /** Which refusals a banner shows, newest hour only, the most refused first. */
  recent(now: number, scope: RefusalScope): Refusal[] {
    return this.refusals
      .filter((r) => r.countLastHour > 0 && Date.parse(r.lastAt) > now - HOUR && inScope(r, scope))
      .filter((r) => this.#dismissed.get(keyOf(r)) !== r.lastAt)
      .sort((a, b) => b.countLastHour - a.countLastHour);
  }

  dismiss(refusal: Refusal): void {
    this.#dismissed = new Map(this.#dismissed).set(keyOf(refusal), refusal.lastAt);
  }
}

/** "all"; "unknown": projects that do not exist; a project, with or without the unknown ones. */
export type RefusalScope = 'all' | 'unknown' | { projectId: number; withUnknown: boolean };

function inScope(refusal: Refusal, scope: RefusalScope): boolean {
  if (scope === 'all') return true;
  if (scope === 'unknown') return refusal.projectId === null;
  return refusal.projectId === scope.projectId || (scope.withUnknown && refusal.projectId === null);
}

function keyOf(refusal: Refusal): string {
  return `${refusal.projectId ?? '-'}|${refusal.reason}|${refusal.status}`;
}

export const refusalsState = new RefusalsState();
