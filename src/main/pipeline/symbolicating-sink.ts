/**
 * Puts the symbolicate stage in front of the ingest pipeline. One check per event decides:
 * events without script frames, and those whose maps are all cached, go on at once (resolved
 * synchronously from the cache); only an event whose maps need reading or fetching waits, and
 * that wait is bounded (a deadline from its arrival and a limit on how many events may wait).
 * An event that cannot wait is stored as sent, with a problem saying why. While one of a
 * project's envelopes waits, the project's later envelopes queue behind it (for at most
 * HOLD_BEHIND_MS), so they reach the pipeline in arrival order; other projects are not held.
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

/**
 * How long a project's envelope waits behind an earlier one that is waiting for a map. Reading a
 * map from disk takes milliseconds, so the order is kept; a dev server that hangs does not hold
 * the project's other events for the whole deadline: after this they go on, and may overtake it.
 */
const HOLD_BEHIND_MS = 500;

/** What one check decided for an envelope: hand it on now, or wait for these maps first. */
type Prepared = { ready: IncomingEnvelope } | { plans: (Plan | null)[] };

export class SymbolicatingSink implements IngestSink {
  private waiting = 0;
  private readonly maxWaiting: number;
  private readonly deadlineMs: number;
  /**
   * Per project, the turn of the last envelope that is waiting: it settles once that envelope is
   * handed on. Later envelopes of the project go after it, so its events reach the pipeline in
   * the order they arrived (an issue's latest event is the one sent last, and so are its title
   * and culprit), even when an earlier one waited for a map and a later one found its maps cached.
   * Only a lookup slower than HOLD_BEHIND_MS (a hanging dev server) lets later envelopes overtake.
   */
  private readonly turns = new Map<number, Promise<void>>();

  constructor(
    private readonly next: IngestSink,
    private readonly locator: SourceMapLocator,
    options: SymbolicatingSinkOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 256;
    this.deadlineMs = options.deadlineMs ?? 5000;
  }

  accept(envelope: IncomingEnvelope): Promise<void> {
    const deadline = Date.now() + this.deadlineMs;
    const ahead = this.turns.get(envelope.projectId);
    if (ahead === undefined) {
      const prepared = this.prepare(envelope);
      if ('ready' in prepared) return this.next.accept(prepared.ready);
      if (this.waiting >= this.maxWaiting) return this.next.accept(this.unresolved(envelope, prepared.plans));
      return this.inTurn(envelope.projectId, () => this.afterLoading(envelope, prepared.plans, deadline));
    }
    // Too many waiting already: this one is handed on now, unresolved, and may overtake them.
    if (this.waiting >= this.maxWaiting) {
      const prepared = this.prepare(envelope);
      return this.next.accept('ready' in prepared ? prepared.ready : this.unresolved(envelope, prepared.plans));
    }
    return this.inTurn(envelope.projectId, async () => {
      await untilSettledOr(ahead, HOLD_BEHIND_MS);
      // Checked again: the envelope ahead has most likely filled the cache for this one.
      const prepared = this.prepare(envelope);
      return 'ready' in prepared ? prepared.ready : this.afterLoading(envelope, prepared.plans, deadline);
    });
  }

  /** One check per event: no script frames, or every map cached, needs no waiting. */
  private prepare(envelope: IncomingEnvelope): Prepared {
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
    if (plans === undefined) return { ready: envelope };
    if (!needsIo) return { ready: withEvents(envelope, plans, (plan) => plan.cached!) };
    return { plans };
  }

  private unresolved(envelope: IncomingEnvelope, plans: (Plan | null)[]): IncomingEnvelope {
    const busy: ProcessingError = { type: 'sourcemaps_busy', message: `not resolved: ${this.maxWaiting} events were already waiting for source maps` };
    return withEvents(envelope, plans, (plan) => plan.cached ?? new Map(), busy);
  }

  private async afterLoading(envelope: IncomingEnvelope, plans: (Plan | null)[], deadline: number): Promise<IncomingEnvelope> {
    const loaded = await this.loadAll(plans, deadline);
    return withEvents(envelope, plans, (plan, index) => plan.cached ?? loaded[index] ?? new Map(), loaded.timedOut);
  }

  /**
   * Holds the project's turn while `produce` runs, then hands its envelope on. The next envelope
   * of the project continues only after this one's `next.accept` was called (it runs in a later
   * microtask), which is all the pipeline needs to keep the order.
   */
  private inTurn(projectId: number, produce: () => Promise<IncomingEnvelope>): Promise<void> {
    let handedOn!: () => void;
    const turn = new Promise<void>((resolve) => (handedOn = resolve));
    this.turns.set(projectId, turn);
    this.waiting += 1;
    const done = () => {
      this.waiting -= 1;
      if (this.turns.get(projectId) === turn) this.turns.delete(projectId);
      handedOn();
    };
    return produce().then(
      (ready) => {
        done();
        return this.next.accept(ready);
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  private async loadAll(plans: (Plan | null)[], deadline: number): Promise<(Map<string, MapResult> | undefined)[] & { timedOut?: ProcessingError }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
    });
    const work = Promise.all(plans.map((plan) => (plan && !plan.cached ? this.locator.load(plan.requests, plan.context) : undefined)));
    const outcome = await Promise.race([work, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      const unloaded: (Map<string, MapResult> | undefined)[] & { timedOut?: ProcessingError } = plans.map(() => undefined);
      unloaded.timedOut = { type: 'sourcemaps_timeout', message: `not resolved: source maps took longer than ${this.deadlineMs} ms` };
      return unloaded;
    }
    return outcome;
  }
}

/** Settles when `promise` does, or after `ms`, whichever is first. */
async function untilSettledOr(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
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
