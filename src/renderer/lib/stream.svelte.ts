/** The live stream (`EventSource('/api/stream')`), fanned out to the state classes by message type. */
import type { StreamMessage } from '../../shared/api';
import { api, links } from './api';

type Listener = (message: StreamMessage) => void;

const MESSAGE_TYPES: StreamMessage['type'][] = [
  'issue.created',
  'issue.updated',
  'issue.deleted',
  'event.created',
  'project.changed',
  'project.deleted',
  'alert',
  'settings.changed',
  'refusal',
];

class LiveStream {
  /** "connecting" until the first open; "offline" while EventSource retries. */
  status = $state<'connecting' | 'live' | 'offline'>('connecting');
  #listeners = new Set<Listener>();
  #reconnectListeners = new Set<() => void>();
  #source: EventSource | null = null;

  start(): void {
    if (this.#source) return;
    const source = new EventSource(links.stream());
    this.#source = source;
    source.onopen = () => {
      this.status = 'live';
      // Whatever changed while the stream was down was never sent: the views reload. The first
      // open too: a view may have loaded before it, and what came in between was sent to no one.
      for (const listener of this.#reconnectListeners) listener();
    };
    source.onerror = () => {
      this.status = source.readyState === EventSource.CLOSED ? 'offline' : 'connecting';
      // EventSource gives up on an error status without saying which: if it was the API token,
      // an API call hears the 401 and brings up the token screen.
      if (source.readyState === EventSource.CLOSED) api.info().catch(() => undefined);
    };
    for (const type of MESSAGE_TYPES) {
      source.addEventListener(type, (event) => this.#dispatch(event));
    }
    // Servers that send unnamed messages still reach us.
    source.onmessage = (event) => this.#dispatch(event);
  }

  /** Closes the connection (e.g. until a new API token is given); `start` opens it again. */
  stop(): void {
    this.#source?.close();
    this.#source = null;
    this.status = 'connecting';
  }

  /** Called each time the stream opens: after a drop, and on the first open (see start). */
  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #dispatch(event: MessageEvent): void {
    let message: StreamMessage;
    try {
      message = JSON.parse(String(event.data)) as StreamMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    for (const listener of this.#listeners) listener(message);
  }
}

export const stream = new LiveStream();
