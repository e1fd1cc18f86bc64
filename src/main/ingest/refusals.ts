/**
 * Counting what the ingest routes refuse (see core/refusal-tracker.ts): the reason from the
 * refusal itself where the route knows it, else from the status; the project from the URL when
 * it names one that exists.
 */
import type { FastifyRequest } from 'fastify';
import type { RefusalReason } from '../../shared/refusal';
import type { IngestDeps } from './ingest-sink';

export interface RefusalFacts {
  reason: RefusalReason;
  projectId: number | null;
  events?: number;
}

/** The reason a refusal with this status stands for, or null for what is not a refusal (2xx, 5xx). */
export function reasonForStatus(status: number): RefusalReason | null {
  if (status === 413) return 'too-large';
  if (status === 429) return 'rate-limited';
  if (status === 404) return 'unknown-project';
  if (status === 401 || status === 403) return 'wrong-key';
  if (status >= 400 && status < 500) return 'malformed';
  return null;
}

/** The existing project the URL's `:projectId` names, or null. */
export function urlProjectId(request: FastifyRequest, deps: IngestDeps): number | null {
  const raw = (request.params as { projectId?: unknown } | undefined)?.projectId;
  const id = Number(raw);
  return Number.isSafeInteger(id) && deps.projects.byId(id) ? id : null;
}

export function countRefusal(deps: IngestDeps, request: FastifyRequest, status: number, detail: string, facts?: RefusalFacts): void {
  if (!deps.refusals) return;
  const reason = facts?.reason ?? reasonForStatus(status);
  if (reason === null) return;
  const projectId = facts?.projectId ?? (reason === 'unknown-project' ? null : urlProjectId(request, deps));
  deps.refusals.record({ projectId, status, reason, detail, events: facts?.events ?? 1 });
}
