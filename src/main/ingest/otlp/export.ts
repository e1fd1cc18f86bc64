/**
 * One OTLP export, decoded: finds its exceptions, builds and normalizes a Sentry event for each,
 * and hands them to the sink grouped by project. Returns what the route should answer.
 */
import { normalizeEvent } from '../../pipeline/normalize';
import { StorageUnavailableError, type IncomingEnvelope, type IngestDeps, type ProjectKey } from '../ingest-sink';
import { buildSentryEvent } from './build-event';
import { exceptionsInLogs, exceptionsInTraces, type ExceptionOccurrence } from './find-exceptions';
import type { OtlpSignal, PartialSuccess } from './proto-schema';
import { readLogs, readTraces } from './read-otlp';
import { serviceName } from './resource-mapping';

/** Keyless `/v1/*` traffic picks the project by service.name; keyed routes name the project. */
export type ProjectTarget = { kind: 'service' } | { kind: 'project'; project: ProjectKey };

export type ExportOutcome =
  | { ok: true; partial: PartialSuccess | null }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

interface Rejection {
  itemIndex: number;
  reason: string;
}

export async function ingestExport(
  deps: IngestDeps,
  signal: OtlpSignal,
  request: unknown,
  target: ProjectTarget,
  receivedAt: number,
): Promise<ExportOutcome> {
  // OtlpFormatError propagates: the route answers 400 with its message.
  const occurrences = signal === 'traces' ? exceptionsInTraces(readTraces(request)) : exceptionsInLogs(readLogs(request));
  const envelopes = new Map<number, IncomingEnvelope>();
  const rejections: Rejection[] = [];
  let retryAfter: number | null = null;
  const projectFor = memoizedProjects(deps, target);

  for (const occurrence of occurrences) {
    const project = projectFor(occurrence);
    if (!project.keyEnabled) {
      rejections.push({ itemIndex: occurrence.itemIndex, reason: `the key of project ${project.id} is disabled` });
      continue;
    }
    const wait = deps.rateLimiter.retryAfter(project.id);
    if (wait !== null) {
      retryAfter = Math.max(retryAfter ?? 0, wait);
      rejections.push({ itemIndex: occurrence.itemIndex, reason: `project ${project.id} is rate limited` });
      continue;
    }
    const built = buildSentryEvent(occurrence, receivedAt);
    const normalized = normalizeEvent(built, { receivedAt });
    if (!normalized.ok) {
      rejections.push({ itemIndex: occurrence.itemIndex, reason: normalized.reason });
      continue;
    }
    const payload = JSON.stringify(built);
    if (Buffer.byteLength(payload) > deps.limits.maxEventBytes) {
      rejections.push({ itemIndex: occurrence.itemIndex, reason: `event exceeds ${deps.limits.maxEventBytes} bytes` });
      continue;
    }
    const envelope = envelopes.get(project.id) ?? { projectId: project.id, events: [], otherItems: {} };
    envelopes.set(project.id, envelope);
    envelope.events.push({ event: normalized.event, payload, attachments: [] });
  }

  if (envelopes.size === 0 && retryAfter !== null) {
    return { ok: false, status: 429, message: 'rate limited', headers: { 'retry-after': String(Math.ceil(retryAfter)) } };
  }
  try {
    for (const envelope of envelopes.values()) await deps.sink.accept(envelope);
  } catch (error) {
    if (error instanceof StorageUnavailableError) return { ok: false, status: 503, message: `storage unavailable: ${error.message}` };
    throw error;
  }
  return { ok: true, partial: partialSuccess(rejections) };
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

/** OTLP counts rejected spans / log records, not events: a span with two failed exceptions counts once. */
function partialSuccess(rejections: Rejection[]): PartialSuccess | null {
  if (rejections.length === 0) return null;
  const rejected = new Set(rejections.map((rejection) => rejection.itemIndex)).size;
  const reasons = [...new Set(rejections.map((rejection) => rejection.reason))];
  return { rejected, errorMessage: reasons.slice(0, 3).join('; ') };
}
