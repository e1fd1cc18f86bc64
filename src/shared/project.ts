export interface Project {
  id: number;
  name: string;
  /** 32 lowercase hex characters: the key in the DSN. */
  publicKey: string;
  keyEnabled: boolean;
  dsn: string;
  webhookUrl: string | null;
  /** Sentry fingerprint rules (one per line), applied to new events. */
  fingerprintRules: string;
  /** The team's Sentry-compatible server every accepted envelope is also sent to; null when off. */
  upstreamDsn: string | null;
  /** The forwarding queue's state; null when the project has no upstream and nothing queued. */
  forwarding: ForwardingStatus | null;
  createdAt: string;
}

/** How forwarding to a project's upstream is going (see src/main/forwarding). */
export interface ForwardingStatus {
  /** Envelopes waiting to be sent, and their size in bytes. */
  queued: number;
  queuedBytes: number;
  /** When the oldest waiting envelope was accepted (ISO), or null when none waits. */
  oldestQueuedAt: string | null;
  delivered: number;
  lastDeliveredAt: string | null;
  /** Dropped because the queue was full (the oldest go first). */
  droppedOverflow: number;
  /** Dropped because the upstream refused them for good (400, 401, 403, 413…). */
  droppedRejected: number;
  lastError: { at: string; message: string } | null;
  /** Sending waits until then (ISO): a rate limit or a backoff after failures; null when not waiting. */
  retryAt: string | null;
}
