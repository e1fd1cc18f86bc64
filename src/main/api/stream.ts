/** `GET /api/stream`: live changes as server-sent events (event name = message type). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from './api-deps';

export const streamRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get('/api/stream', { sse: { kind: 'only', heartbeat: true } }, async (_request, reply) => {
    reply.sse.keepAlive();
    const unsubscribe = deps.hub.subscribe((message) => {
      if (!reply.sse.isConnected) return;
      // A client that went away mid-send is cleaned up by onClose; nothing else to do.
      reply.sse.send({ event: message.type, data: message }).catch(() => undefined);
    });
    reply.sse.onClose(unsubscribe);
    await reply.sse.send({ event: 'ready', data: { at: new Date().toISOString() } });
  });
};
