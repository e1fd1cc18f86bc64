/** Fan-out of live changes to the SSE stream and the desktop shell. */
import type { StreamMessage } from '../../shared/api';

export type StreamListener = (message: StreamMessage) => void;

export class LiveHub {
  private readonly listeners = new Set<StreamListener>();

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  publish(message: StreamMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A broken subscriber must not break ingest or other subscribers.
      }
    }
  }
}
