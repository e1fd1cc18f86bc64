/**
 * One OTLP export, decoded: finds its exceptions, builds and normalizes a Sentry event for each,
 * and hands them to the sink grouped by project. Returns what the route should answer.
 */
import { normalizeEvent } from '../../pipeline/normalize';
import { retryAfterHeader, StorageUnavailableError, type IncomingEnvelope, type IncomingEvent, type IngestDeps, type ProjectKey } from '../ingest-sink';
import { buildSentryEvent } from './build-event';
import { exceptionsInLogs, exceptionsInTraces, type ExceptionOccurrence } from './find-exceptions';
import type { OtlpSignal, PartialSuccess } from './proto-schema';
import { readLogs, readTraces } from './read-otlp';
import { emptyNotes, VALUE_DEPTH } from './read-values';
import { serviceName } from './resource-mapping';
import type { RefusalReason } from '../../../shared/refusal';

/** Keyless `/v1/*` traffic picks the project by service.name; keyed routes name the project. */
export type ProjectTarget = { kind: 'service' } | { kind: 'project'; project: ProjectKey };

export type ExportOutcome =
  | { ok: true; partial: PartialSuccess | null }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

interface Rejection {
  itemIndex: number;
  reason: string;
}

/** Counts a rejected event as a refusal of its project (the status it would have had alone). */
function countRejected(deps: IngestDeps, projectId: number, status: number, kind: RefusalReason, reason: string, events = 1): void {
  deps.refusals?.record({ projectId, status, reason: kind, detail: reason, events });
}

/** An event ready to store, waiting for its project's rate limit. */
interface Candidate {
  itemIndex: number;
  incoming: IncomingEvent;
}

export async function ingestExport(
  deps: IngestDeps,
  signal: OtlpSignal,
  request: unknown,
  target: ProjectTarget,
  receivedAt: number,
): Promise<ExportOutcome> {
  // OtlpFormatError propagates: the route answers 400 with its message.
  const notes = emptyNotes();
  const occurrences = signal === 'traces' ? exceptionsInTraces(readTraces(request, notes)) : exceptionsInLogs(readLogs(request, notes));
  const candidates = new Map<number, Candidate[]>();
  const rejections: Rejection[] = [];
  const projectFor = memoizedProjects(deps, target);

  for (const occurrence of occurrences) {
    const project = projectFor(occurrence);
    if (!project.keyEnabled) {
      const reason = `the key of project ${project.id} is disabled`;
      rejections.push({ itemIndex: occurrence.itemIndex, reason });
      countRejected(deps, project.id, 403, 'disabled-key', reason);
      continue;
    }
    const built = buildSentryEvent(occurrence, receivedAt);
    const normalized = normalizeEvent(built, { receivedAt });
    if (!normalized.ok) {
      rejections.push({ itemIndex: occurrence.itemIndex, reason: normalized.reason });
      countRejected(deps, project.id, 400, 'malformed', normalized.reason);
      continue;
    }
    // Values were cut at VALUE_DEPTH below their attribute map while read: `built` nests only a few
    // levels more, which JSON.stringify takes in its stride.
    const payload = JSON.stringify(built);
    if (Buffer.byteLength(payload) > deps.limits.maxEventBytes) {
      const reason = `event exceeds ${deps.limits.maxEventBytes} bytes`;
      rejections.push({ itemIndex: occurrence.itemIndex, reason });
      countRejected(deps, project.id, 413, 'too-large', reason);
      continue;
    }
    const forProject = candidates.get(project.id) ?? [];
    candidates.set(project.id, forProject);
    forProject.push({ itemIndex: occurrence.itemIndex, incoming: { event: normalized.event, payload, attachments: [] } });
  }

  // One question per project, for exactly the events it would store: the limiter admits them all
  // or none, and a refusal costs no budget, so rejected events never use up a project's limit.
  const envelopes: IncomingEnvelope[] = [];
  let retryAfter: number | null = null;
  for (const [projectId, accepted] of candidates) {
    const wait = deps.rateLimiter.retryAfter(projectId, accepted.length);
    if (wait === null) {
      envelopes.push({ projectId, events: accepted.map((candidate) => candidate.incoming), otherItems: {}, forward: 'as-events' });
      continue;
    }
    retryAfter = Math.max(retryAfter ?? 0, wait);
    const reason = `project ${projectId} is rate limited`;
    for (const candidate of accepted) rejections.push({ itemIndex: candidate.itemIndex, reason });
    countRejected(deps, projectId, 429, 'rate-limited', reason, accepted.length);
  }

  if (envelopes.length === 0 && retryAfter !== null) {
    return { ok: false, status: 429, message: 'rate limited', headers: { 'retry-after': String(Math.ceil(retryAfter)) } };
  }
  try {
    for (const envelope of envelopes) await deps.sink.accept(envelope);
  } catch (error) {
    if (error instanceof StorageUnavailableError) return { ok: false, status: 503, message: `storage unavailable: ${error.message}`, headers: retryAfterHeader(error) };
    throw error;
  }
  const warnings = notes.valuesCut > 0 ? [`values nested deeper than ${VALUE_DEPTH} levels were cut at that depth`] : [];
  return { ok: true, partial: partialSuccess(rejections, warnings) };
}

function memoizedProjects(deps: IngestDeps, target: ProjectTarget): (occurrence: ExceptionOccurrence) => ProjectKey {
  if (target.kind === 'project') return () => target.project;
  const byService = new Map<string, ProjectKey>();
  return (occurrence) => {
    const name = serviceName(occurrence.resource);
    const known = byService.get(name);
    if (known) return known;
    const project = deps.projects.forService(name);
    byService.set(name, project);
    return project;
  };
}

/**
 * OTLP counts rejected spans / log records, not events: a span with two failed exceptions counts
 * once. Warnings ride along in error_message; with nothing rejected the count is 0, which OTLP
 * allows for a fully accepted request that carries a warning.
 */
function partialSuccess(rejections: Rejection[], warnings: string[]): PartialSuccess | null {
  if (rejections.length === 0 && warnings.length === 0) return null;
  const rejected = new Set(rejections.map((rejection) => rejection.itemIndex)).size;
  const reasons = [...new Set(rejections.map((rejection) => rejection.reason))].slice(0, 3);
  return { rejected, errorMessage: [...reasons, ...warnings].join('; ') };
}
