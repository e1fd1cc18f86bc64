/** A minimal IngestSink that keeps every envelope it accepts (the real store is the core's). */
import { StorageUnavailableError, type IncomingEnvelope, type IngestSink } from '../../../../src/main/ingest/ingest-sink';

export class RecordingSink implements IngestSink {
  readonly envelopes: IncomingEnvelope[] = [];
  /** When set, accept() fails as a full disk would. */
  unavailable: string | null = null;
  /** The refusal's Retry-After (seconds), as the pipeline gives once a write failed for lack of space. */
  retryAfterSeconds: number | null = null;

  async accept(envelope: IncomingEnvelope): Promise<void> {
    if (this.unavailable !== null) throw new StorageUnavailableError(this.unavailable, this.retryAfterSeconds);
    this.envelopes.push(envelope);
  }

  get events() {
    return this.envelopes.flatMap((envelope) => envelope.events.map((incoming) => ({ projectId: envelope.projectId, ...incoming })));
  }
}
