/**
 * The IngestSink the routes hand events to: groups each event once, then writes everything that
 * arrived during one turn of the event loop in a single transaction (a group commit) and only
 * then resolves the requests' promises — an acknowledged event is always committed.
 *
 * Grouping and compression run when the batch is flushed, not when a request is read: the
 * poll phase then only reads requests, and an API call that arrives among fifty ingest
 * requests is answered before their heavy work instead of after it.
 */
import type { SentryEvent } from '../../shared/event';
import type { GroupingResult } from '../../shared/grouping';
import { StorageUnavailableError, type IncomingEnvelope, type IngestSink } from '../ingest/ingest-sink';
import type { Store } from '../store';
import type { BatchOutcome, IssueGrouping, PreparedBatch, PreparedEvent } from '../store/ingest-writer';
import { encodePayload } from '../store/payload-codec';
import { envelopeOfEvents } from '../forwarding/envelope-bytes';
import type { GitReleaseStep } from './git-release';
import { aggregatedTags, issueSearchText, userKey } from './event-aggregates';
import { STORAGE_RETRY_MS, StorageRefusal } from './storage-refusal';

export type GroupEvent = (event: SentryEvent, projectId: number) => GroupingResult;

export interface PipelineSteps {
  /** Whether the project forwards to an upstream (a cached answer: asked per envelope). */
  forwards?: (projectId: number) => boolean;
  /** Events without a release get the git commit their files are at (before grouping and lifecycle). */
  gitRelease?: GitReleaseStep;
}

interface Pending {
  envelope: IncomingEnvelope;
  resolve: () => void;
  reject: (error: Error) => void;
}

const MAX_BATCH_EVENTS = 500;

export class IngestPipeline implements IngestSink {
  private pending: Pending[] = [];
  private pendingEvents = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly group: GroupEvent,
    private readonly onCommitted: (outcome: BatchOutcome) => void,
    private readonly steps: PipelineSteps = {},
    /** Where the start and end of a storage refusal are logged (once each). */
    private readonly log: (line: string) => void = () => undefined,
    private readonly refusal = new StorageRefusal(),
  ) {}

  accept(envelope: IncomingEnvelope): Promise<void> {
    const refused = this.refusal.current();
    if (refused) return Promise.reject(new StorageUnavailableError(refused.reason, refused.retryAfterSeconds));
    // What leaves for the upstream is what was sent: made into bytes before any step here adds to
    // it, and from the payload as sent when symbolication (in front of this sink) rewrote it.
    if (envelope.forward === 'as-events' && this.steps.forwards?.(envelope.projectId)) {
      envelope.forward = envelopeOfEvents(envelope.events.map((incoming) => ({ eventId: incoming.event.event_id, payload: incoming.sentPayload ?? incoming.payload })));
    }
    const lookingUp = envelope.imported ? undefined : this.steps.gitRelease?.apply(envelope.events);
    return lookingUp ? lookingUp.then(() => this.enqueue(envelope)) : this.enqueue(envelope);
  }

  private enqueue(envelope: IncomingEnvelope): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ envelope, resolve, reject });
      this.pendingEvents += envelope.events.length;
      if (this.pendingEvents >= MAX_BATCH_EVENTS) this.flush();
      else this.schedule();
    });
  }

  /** Resolves when everything accepted so far is committed (used on shutdown). */
  drain(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Commits what was accepted now, instead of at the end of this turn (a process about to be killed). */
  commitPending(): void {
    if (this.pending.length > 0) this.flush();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    const prepared: { item: Pending; batch: PreparedBatch }[] = [];
    for (const item of pending) {
      try {
        prepared.push({ item, batch: this.prepare(item.envelope) });
      } catch (error) {
        item.reject(this.toIngestError(error));
      }
    }
    if (prepared.length > 0) {
      const merged: PreparedBatch = { events: [], otherItems: [], looseAttachments: [], forwards: [] };
      for (const { batch } of prepared) {
        merged.events.push(...batch.events);
        merged.otherItems.push(...batch.otherItems);
        merged.looseAttachments.push(...batch.looseAttachments);
        if (batch.forwards) merged.forwards?.push(...batch.forwards);
      }
      try {
        this.commit(merged);
        for (const { item } of prepared) item.resolve();
      } catch (error) {
        if (prepared.length > 1 && !isStorageError(error)) {
          // One bad envelope must not fail its neighbours: retry each on its own.
          for (const one of prepared) this.commitAlone(one.item, one.batch);
        } else {
          const rejection = this.toIngestError(error);
          for (const { item } of prepared) item.reject(rejection);
        }
      }
    }
    if (this.pending.length === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private commitAlone(item: Pending, batch: PreparedBatch): void {
    try {
      this.commit(batch);
      item.resolve();
    } catch (error) {
      item.reject(this.toIngestError(error));
    }
  }

  private commit(batch: PreparedBatch): void {
    const outcome = this.store.writer.writeBatch(batch, Date.now() / 1000);
    if (this.refusal.succeeded()) this.log('storage writable again: ingest resumed');
    this.onCommitted(outcome);
  }

  /** A storage error that will not pass by itself starts (or extends) the refusal; see storage-refusal.ts. */
  private toIngestError(error: unknown): Error {
    if (!isStorageError(error)) return error instanceof Error ? error : new Error(String(error));
    const code = String((error as { code?: unknown }).code);
    const reason = storageReason(code);
    if (!LASTING_STORAGE_CODES.test(code)) return new StorageUnavailableError(reason);
    const named = reason.includes(code) ? reason : `${reason} (${code})`;
    if (this.refusal.failed(reason)) this.log(`storage unavailable: ${named}; ingest answers 503 and tries again every ${STORAGE_RETRY_MS / 1000} s`);
    return new StorageUnavailableError(reason, this.refusal.current()?.retryAfterSeconds ?? null);
  }

  private prepare(envelope: IncomingEnvelope): PreparedBatch {
    const { projectId } = envelope;
    const events: PreparedEvent[] = envelope.events.map(({ event, payload, attachments }) => {
      const grouping = withoutVariants(this.group(event, projectId));
      const reference = this.store.payloadReferences.of(projectId, grouping.hashes[0] ?? '');
      return {
        projectId,
        event,
        grouping,
        payload: encodePayload(payload, reference),
        reference: reference ? null : payload,
        attachments,
        userKey: userKey(event),
        tags: aggregatedTags(event),
        searchText: issueSearchText(event),
      };
    });
    const hasOther = Object.keys(envelope.otherItems).length > 0;
    return {
      events,
      otherItems: hasOther ? [{ projectId, counts: envelope.otherItems }] : [],
      looseAttachments: (envelope.looseAttachments ?? []).map((loose) => ({ projectId, ...loose })),
      forwards: this.forwardsOf(envelope),
    };
  }

  private forwardsOf({ projectId, forward }: IncomingEnvelope): { projectId: number; body: Buffer }[] {
    if (!Buffer.isBuffer(forward) || !this.steps.forwards?.(projectId)) return [];
    return [{ projectId, body: forward }];
  }
}

/**
 * The variants' component trees (every frame, twice) are only for explaining a grouping; dropped
 * here so they die young instead of being promoted to the old generation while the batch waits.
 */
function withoutVariants({ variants: _variants, ...grouping }: GroupingResult): IssueGrouping {
  return grouping;
}

const STORAGE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|PERM|NOMEM)/;
/** Failures that last until someone acts (frees space, fixes permissions); the others are retried per request. */
const LASTING_STORAGE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM)/;

function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && STORAGE_CODES.test(code);
}

function storageReason(code: string): string {
  if (code.startsWith('SQLITE_FULL')) return 'the disk or database is full';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return 'the database is read-only';
  return `the database cannot be written (${code})`;
}
