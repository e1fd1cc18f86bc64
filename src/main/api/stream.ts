/** `GET /api/stream`: live changes as server-sent events (event name = message type). */
import type { FastifyPluginAsync } from 'fastify';
import type { StreamMessage } from '../../shared/api';
import type { ApiDeps } from './api-deps';

/**
 * How far a subscriber may fall behind (bytes written but not yet taken by its socket) before it
 * is dropped. Messages are written as they happen, so a client that stops reading (a stalled
 * `stacktray tail | less`, a frozen tab) would otherwise keep all of them in this process during
 * a storm. A dropped client reconnects and reloads, as after any lost connection.
 */
export const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;

/** One SSE frame per message, serialized once however many subscribers there are. */
const frames = new WeakMap<StreamMessage, string>();

function frameOf(message: StreamMessage): string {
  let frame = frames.get(message);
  if (frame === undefined) {
    // JSON.stringify escapes line breaks, so the data is always one `data:` line.
    frame = `event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;
    frames.set(message, frame);
  }
  return frame;
}

export const streamRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get('/api/stream', { sse: { kind: 'only', heartbeat: true } }, async (request, reply) => {
    reply.sse.keepAlive();
    // Messages published in one turn of the event loop (a live-update window is hundreds during a
    // storm) go out as one write: a write each cost a chunk, a promise and, once the socket was
    // backed up, a drain and an error listener each.
    let pending: string[] = [];
    let scheduled = false;
    const writePending = () => {
      scheduled = false;
      const text = pending.join('');
      pending = [];
      if (!reply.sse.isConnected) return;
      if (reply.raw.writableLength > MAX_STREAM_BACKLOG_BYTES) {
        unsubscribe();
        request.log.warn(`live stream: a subscriber fell more than ${MAX_STREAM_BACKLOG_BYTES} bytes behind; closed it (it reconnects and reloads)`);
        reply.raw.destroy();
        return;
      }
      // The plugin sent the headers with `ready`; its heartbeat writes to the socket the same way.
      reply.raw.write(text);
    };
    const unsubscribe = deps.hub.subscribe((message) => {
      pending.push(frameOf(message));
      if (!scheduled) (scheduled = true), setImmediate(writePending);
    });
    reply.sse.onClose(unsubscribe);
    await reply.sse.send({ event: 'ready', data: { at: new Date().toISOString() } });
  });
};
