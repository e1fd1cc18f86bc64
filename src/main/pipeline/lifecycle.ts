/**
 * Issue status transitions, in one place and without I/O: what a user's action does to an issue,
 * and whether a new event regresses it.
 */
import type { IssueStatus } from '../../shared/issue';
import { semverOrder, type ReleaseOrder } from './release-order';

export interface LifecycleState {
  status: IssueStatus;
  /** Seconds since the epoch when the issue was last resolved. */
  resolvedAt: number | null;
  /** Resolved "in next release": only events from a release first seen after resolvedAt regress it. */
  resolvedInNextRelease: boolean;
  /** Resolved in next release: the issue's latest release then; "next" is any release newer than it. */
  resolvedInRelease: string | null;
  isRegression: boolean;
}

export type StatusRequest =
  | { status: 'unresolved' }
  | { status: 'ignored' }
  | { status: 'resolved'; inNextRelease?: boolean; latestRelease?: string | null };

export function applyStatusRequest(state: LifecycleState, request: StatusRequest, now: number): LifecycleState {
  switch (request.status) {
    case 'resolved': {
      const inNextRelease = request.inNextRelease === true;
      return { status: 'resolved', resolvedAt: now, resolvedInNextRelease: inNextRelease, resolvedInRelease: inNextRelease ? request.latestRelease ?? null : null, isRegression: false };
    }
    case 'ignored':
      return { status: 'ignored', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: false };
    case 'unresolved':
      return { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: state.isRegression };
  }
}

export interface IncomingRelease {
  /** The event's release, or null when it has none. */
  release: string | null;
  /** When that release was first seen in the project (seconds), or null if this event introduces it. */
  releaseFirstSeen: number | null;
}

/**
 * Whether an event arriving for an issue in `state` reopens it as a regression. Resolved in the
 * next release, only a release newer than the one it was resolved in does: `order` decides when
 * it can (commit graph, semver); otherwise a release first seen after the resolution is newer.
 */
export function isRegression(state: LifecycleState, incoming: IncomingRelease, order: ReleaseOrder = semverOrder): boolean {
  if (state.status !== 'resolved') return false;
  if (!state.resolvedInNextRelease) return true;
  if (incoming.release === null) return false;
  if (state.resolvedInRelease !== null) {
    if (incoming.release === state.resolvedInRelease) return false;
    const newer = order(incoming.release, state.resolvedInRelease);
    if (newer !== null) return newer;
  }
  const resolvedAt = state.resolvedAt ?? 0;
  return incoming.releaseFirstSeen === null || incoming.releaseFirstSeen > resolvedAt;
}

/** The state after an event: a regression reopens the issue; otherwise nothing changes. */
export function applyEvent(
  state: LifecycleState,
  incoming: IncomingRelease,
  order?: ReleaseOrder,
): { state: LifecycleState; regressed: boolean } {
  if (!isRegression(state, incoming, order)) return { state, regressed: false };
  return {
    state: { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: true },
    regressed: true,
  };
}
