/** `GET /api/stream`: live changes as server-sent events (event name = message type). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from './api-deps';

/**
 * How far a subscriber may fall behind (bytes written but not yet taken by its socket) before it
 * is dropped. Messages are written as they happen, so a client that stops reading (a stalled
 * `stacktray tail | less`, a frozen tab) would otherwise keep all of them in this process during
 * a storm. A dropped client reconnects and reloads, as after any lost connection.
 */
export const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;

export const streamRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get('/api/stream', { sse: { kind: 'only', heartbeat: true } }, async (request, reply) => {
    reply.sse.keepAlive();
    const unsubscribe = deps.hub.subscribe((message) => {
      if (!reply.sse.isConnected) return;
      if (reply.raw.writableLength > MAX_STREAM_BACKLOG_BYTES) {
        unsubscribe();
        request.log.warn(`live stream: a subscriber fell more than ${MAX_STREAM_BACKLOG_BYTES} bytes behind; closed it (it reconnects and reloads)`);
        reply.raw.destroy();
        return;
      }
      // A client that went away mid-send is cleaned up by onClose; nothing else to do.
      reply.sse.send({ event: message.type, data: message }).catch(() => undefined);
    });
    reply.sse.onClose(unsubscribe);
    await reply.sse.send({ event: 'ready', data: { at: new Date().toISOString() } });
  });
};
