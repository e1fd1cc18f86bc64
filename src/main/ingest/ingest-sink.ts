/**
 * The boundary between the wire (Sentry and OTLP routes) and the pipeline: routes turn requests
 * into normalized events and hand them to an IngestSink, which groups, stores and commits them.
 * A route answers 200 only after `accept` resolves: by then the events are on disk.
 */
import type { SentryEvent } from '../../shared/event';
import type { RefusalReason } from '../../shared/refusal';

export interface IncomingAttachment {
  filename: string;
  contentType: string;
  /** Sentry's attachment_type, e.g. "event.attachment", "event.minidump". */
  attachmentType: string;
  data: Buffer;
}

export interface IncomingEvent {
  event: SentryEvent;
  /** The event payload as received (JSON text; cut at 128 levels if nested deeper); OTLP routes pass the event they built. */
  payload: string;
  /**
   * The payload as it came, when a step in front of the pipeline (symbolication) rewrote
   * `payload`: what a store-endpoint or OTLP event forwards upstream.
   */
  sentPayload?: string;
  attachments: IncomingAttachment[];
}

export interface IncomingEnvelope {
  projectId: number;
  events: IncomingEvent[];
  /** Items that are not error events (session, transaction, log, span, client_report…): type → count. */
  otherItems: Record<string, number>;
  /** Attachments that arrived without an event in the same envelope, keyed to an earlier event by id. */
  looseAttachments?: { eventId: string; attachment: IncomingAttachment }[];
  /**
   * What goes to the project's upstream, if it has one: the envelope as the SDK sent it, or
   * 'as-events' to wrap the events' payloads in a new envelope (store endpoint, OTLP). Left out
   * (imports, Spotlight's /stream copies) nothing is forwarded.
   */
  forward?: Buffer | 'as-events';
  /** Events from an export: stored as they were (no release derived here). */
  imported?: boolean;
}

export interface IngestSink {
  /** Resolves once everything in the envelope is committed; rejects with StorageUnavailableError. */
  accept(envelope: IncomingEnvelope): Promise<void>;
}

/** Storage cannot take writes (disk full, read-only): ingest answers 503 with the reason. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';

  /** `retryAfterSeconds`: when ingest will try to write again (the 503's Retry-After), if known. */
  constructor(
    reason: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(reason);
  }
}

/** The 503's headers: Retry-After when ingest knows when it will try to write again. */
export function retryAfterHeader(error: StorageUnavailableError): Record<string, string> {
  return error.retryAfterSeconds === null ? {} : { 'retry-after': String(error.retryAfterSeconds) };
}

/** What ingest routes need to know about projects. */
export interface ProjectDirectory {
  byId(id: number): ProjectKey | undefined;
  byKey(publicKey: string): ProjectKey | undefined;
  /** The project that keyless Spotlight traffic (`POST /stream`) lands in. */
  defaultProjectId(): number;
  /** OTLP: the project named after a service, created on first use. */
  forService(serviceName: string): ProjectKey;
}

export interface ProjectKey {
  id: number;
  publicKey: string;
  keyEnabled: boolean;
}

/** Per-project ingest rate limit (off by default). */
export interface RateLimiter {
  /**
   * Admits `events` events (default 1) together or none of them: null when admitted (they count
   * against the budget); otherwise the seconds to wait, and nothing is counted.
   */
  retryAfter(projectId: number, events?: number): number | null;
}

/** A request (or some events of one) the ingest routes refused. */
export interface RefusedRequest {
  /** The project the request named, when it exists; else null. */
  projectId: number | null;
  status: number;
  reason: RefusalReason;
  /** The one-line reason the sender got. */
  detail: string;
  /** Events refused (default 1: a request whose events were not counted counts once). */
  events?: number;
}

/** Where refusals are counted, so a wrong DSN is visible (logged, listed, shown). */
export interface RefusalRecorder {
  record(refused: RefusedRequest): void;
}

export interface IngestLimits {
  /** Largest body accepted as sent over the wire (bytes). */
  maxRawBytes: number;
  /** Largest body after decompression (bytes). */
  maxDecompressedBytes: number;
  /** Largest single event payload (bytes). */
  maxEventBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxRawBytes: 20 * 1024 * 1024,
  maxDecompressedBytes: 100 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
};

export interface IngestDeps {
  sink: IngestSink;
  projects: ProjectDirectory;
  rateLimiter: RateLimiter;
  limits: IngestLimits;
  /** Absent in tests that do not look at refusals. */
  refusals?: RefusalRecorder;
}
