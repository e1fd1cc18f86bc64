/**
 * Puts the symbolicate stage in front of the ingest pipeline. One check per event decides:
 * events without script frames, and those whose maps are all cached, go on at once (resolved
 * synchronously from the cache); only an event whose maps need reading or fetching waits, and
 * that wait is bounded (a deadline and a limit on how many events may wait). An event that
 * cannot wait is stored as sent, with a problem saying why.
 */
import type { ProcessingError, SentryEvent } from '../../shared/event';
import type { IncomingEnvelope, IncomingEvent, IngestSink } from '../ingest/ingest-sink';
import type { LookupContext, MapResult, SourceMapLocator } from '../sources/source-map-locator';
import { mapRequests, symbolicateEvent, type MapRequest } from './symbolicate';
import { processedPayload } from './symbolicate/processed-payload';

export interface SymbolicatingSinkOptions {
  /** Events that may wait for source maps at once; more are stored unresolved. */
  maxWaiting?: number;
  /** The longest an event waits for its maps. */
  deadlineMs?: number;
}

interface Plan {
  requests: MapRequest[];
  context: LookupContext;
  cached: Map<string, MapResult> | undefined;
}

export class SymbolicatingSink implements IngestSink {
  private waiting = 0;
  private readonly maxWaiting: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly next: IngestSink,
    private readonly locator: SourceMapLocator,
    options: SymbolicatingSinkOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 256;
    this.deadlineMs = options.deadlineMs ?? 5000;
  }

  accept(envelope: IncomingEnvelope): Promise<void> {
    let plans: (Plan | null)[] | undefined;
    let needsIo = false;
    envelope.events.forEach((incoming, index) => {
      const requests = mapRequests(incoming.event);
      if (requests.length === 0) return;
      const context = lookupContext(incoming.event, envelope.projectId);
      const cached = this.locator.cached(requests, context);
      // Known to have no map at all (a Node app's own unbuilt files): nothing to resolve.
      if (cached && nothingToResolve(cached)) return;
      if (!cached) needsIo = true;
      plans ??= envelope.events.map(() => null);
      plans[index] = { requests, context, cached };
    });
    if (plans === undefined) return this.next.accept(envelope);
    const known = plans;
    if (!needsIo) return this.next.accept(withEvents(envelope, known, (plan) => plan.cached!));
    if (this.waiting >= this.maxWaiting) {
      const busy: ProcessingError = { type: 'sourcemaps_busy', message: `not resolved: ${this.maxWaiting} events were already waiting for source maps` };
      return this.next.accept(withEvents(envelope, known, (plan) => plan.cached ?? new Map(), busy));
    }
    this.waiting += 1;
    return this.loadAll(known)
      .then((loaded) => this.next.accept(withEvents(envelope, known, (plan, index) => plan.cached ?? loaded[index] ?? new Map(), loaded.timedOut)))
      .finally(() => {
        this.waiting -= 1;
      });
  }

  private async loadAll(plans: (Plan | null)[]): Promise<(Map<string, MapResult> | undefined)[] & { timedOut?: ProcessingError }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deadlineMs);
    });
    const work = Promise.all(plans.map((plan) => (plan && !plan.cached ? this.locator.load(plan.requests, plan.context) : undefined)));
    const outcome = await Promise.race([work, deadline]);
    clearTimeout(timer);
    if (outcome === 'late') {
      const late: (Map<string, MapResult> | undefined)[] & { timedOut?: ProcessingError } = plans.map(() => undefined);
      late.timedOut = { type: 'sourcemaps_timeout', message: `not resolved: source maps took longer than ${this.deadlineMs} ms` };
      return late;
    }
    return outcome;
  }
}

function nothingToResolve(results: Map<string, MapResult>): boolean {
  for (const result of results.values()) if (result !== null) return false;
  return true;
}

function lookupContext(event: SentryEvent, projectId: number): LookupContext {
  return { projectId, release: event.release, dist: event.dist };
}

function withEvents(
  envelope: IncomingEnvelope,
  plans: (Plan | null)[],
  results: (plan: Plan, index: number) => Map<string, MapResult>,
  extraProblem?: ProcessingError,
): IncomingEnvelope {
  const events = envelope.events.map((incoming, index) => {
    const plan = plans[index];
    return plan ? symbolicated(incoming, results(plan, index), extraProblem) : incoming;
  });
  return { ...envelope, events };
}

function symbolicated(incoming: IncomingEvent, results: Map<string, MapResult>, extraProblem: ProcessingError | undefined): IncomingEvent {
  const { exceptions, problems } = symbolicateEvent(incoming.event, (file) => results.get(file) ?? null);
  if (extraProblem) problems.push(extraProblem);
  if (!exceptions && problems.length === 0) return incoming;
  const event: SentryEvent = { ...incoming.event };
  if (exceptions) event.exception = { values: exceptions };
  if (problems.length > 0) event.errors = [...(event.errors ?? []), ...problems];
  return { ...incoming, event, payload: processedPayload(incoming.payload, exceptions, problems), sentPayload: incoming.sentPayload ?? incoming.payload };
}
