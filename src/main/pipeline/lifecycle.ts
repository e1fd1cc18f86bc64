/**
 * Issue status transitions, in one place and without I/O: what a user's action does to an issue,
 * and whether a new event regresses it.
 */
import type { IssueStatus } from '../../shared/issue';

export interface LifecycleState {
  status: IssueStatus;
  /** Seconds since the epoch when the issue was last resolved. */
  resolvedAt: number | null;
  /** Resolved "in next release": only events from a release first seen after resolvedAt regress it. */
  resolvedInNextRelease: boolean;
  isRegression: boolean;
}

export type StatusRequest =
  | { status: 'unresolved' }
  | { status: 'ignored' }
  | { status: 'resolved'; inNextRelease?: boolean };

export function applyStatusRequest(state: LifecycleState, request: StatusRequest, now: number): LifecycleState {
  switch (request.status) {
    case 'resolved':
      return { status: 'resolved', resolvedAt: now, resolvedInNextRelease: request.inNextRelease === true, isRegression: false };
    case 'ignored':
      return { status: 'ignored', resolvedAt: null, resolvedInNextRelease: false, isRegression: false };
    case 'unresolved':
      return { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, isRegression: state.isRegression };
  }
}

export interface IncomingRelease {
  /** The event's release, or null when it has none. */
  release: string | null;
  /** When that release was first seen in the project (seconds), or null if this event introduces it. */
  releaseFirstSeen: number | null;
}

/** Whether an event arriving for an issue in `state` reopens it as a regression. */
export function isRegression(state: LifecycleState, incoming: IncomingRelease): boolean {
  if (state.status !== 'resolved') return false;
  if (!state.resolvedInNextRelease) return true;
  if (incoming.release === null) return false;
  const resolvedAt = state.resolvedAt ?? 0;
  return incoming.releaseFirstSeen === null || incoming.releaseFirstSeen > resolvedAt;
}

/** The state after an event: a regression reopens the issue; otherwise nothing changes. */
export function applyEvent(state: LifecycleState, incoming: IncomingRelease): { state: LifecycleState; regressed: boolean } {
  if (!isRegression(state, incoming)) return { state, regressed: false };
  return {
    state: { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, isRegression: true },
    regressed: true,
  };
}
