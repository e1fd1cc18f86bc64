/** `POST /api/open-in-editor`: opens a frame's file in the user's editor (see sources/open-in-editor.ts). */
import type { FastifyPluginAsync } from 'fastify';
import type { OpenInEditorRequest } from '../../shared/api';
import { isLoopbackAddress } from '../sources/loopback-fetch';
import { errorSchema, type ApiDeps } from './api-deps';

const body = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 4096 },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
    eventId: { type: 'string', pattern: '^[0-9a-fA-F-]{32,36}$' },
  },
  required: ['path'],
  additionalProperties: false,
} as const;

export const openInEditorRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.post<{ Body: OpenInEditorRequest }>(
    '/api/open-in-editor',
    { schema: { body, response: { 403: errorSchema, 404: errorSchema, 409: errorSchema } } },
    async (request, reply) => {
      // The guard already refused foreign Origins; a token holder on another machine has no editor here.
      if (!isLoopbackAddress(request.socket.remoteAddress ?? '')) {
        return reply.code(403).send({ detail: 'the editor opens only for callers on this machine' });
      }
      const { path, line, column, eventId } = request.body;
      const result = await deps.sources.editor.open({ path, line, column, eventId: eventId?.replaceAll('-', '').toLowerCase() });
      if (result.status === 204) return reply.code(204).send();
      if (result.status === 500) request.log.warn(`open in editor: ${result.reason}`);
      return reply.code(result.status).send({ detail: result.reason });
    },
  );
};
