import type { RefusalReason } from '../../../shared/refusal';

/** A request the ingest routes refuse, with the HTTP status and a one-line reason for `detail`. */
export class IngestHttpError extends Error {
  override readonly name = 'IngestHttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    /** Extra response headers (Retry-After, X-Sentry-Rate-Limits). */
    readonly headers: Record<string, string> = {},
    /** How the refusal is counted, when the status alone does not say (see refusalOf). */
    readonly refusal?: { reason: RefusalReason; projectId: number | null; events?: number },
  ) {
    super(message);
  }
}
