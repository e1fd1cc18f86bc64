/** Events: an issue's events (newest first), one event in full, latest/oldest, attachments. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { StoredEvent } from '../store/events-repo';
import { eventDetail, storedEventId } from './event-detail';
import { contentDisposition, safeContentType } from './download';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const pageQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    cursor: { type: 'string', pattern: '^[0-9]+$' },
    query: { type: 'string', maxLength: 1000 },
  },
  additionalProperties: false,
} as const;

interface EventPageQuery {
  limit?: number;
  cursor?: string;
  query?: string;
}

const eventIdParams = {
  type: 'object',
  properties: { eventId: { type: 'string', pattern: '^[0-9a-fA-F-]{32,36}$' } },
  required: ['eventId'],
} as const;

export const eventRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store } = deps;

  const detail = (stored: StoredEvent) => eventDetail(deps, stored);

  function notFound(reply: FastifyReply, what: string) {
    return reply.code(404).send({ detail: `${what} does not exist` });
  }

  app.get<{ Params: { id: number }; Querystring: EventPageQuery }>(
    '/api/issues/:id/events',
    { schema: { params: idParams, querystring: pageQuery, response: { 404: errorSchema } } },
    async (request, reply) => {
      if (!store.issues.row(request.params.id)) return notFound(reply, `issue ${request.params.id}`);
      const { limit = 50, ...rest } = request.query;
      return store.events.search({ ...rest, limit, issueId: request.params.id });
    },
  );

  /** Events across issues, newest first (the MCP server's `search_events`). */
  app.get<{ Querystring: EventPageQuery & { project?: number } }>(
    '/api/events',
    { schema: { querystring: { ...pageQuery, properties: { ...pageQuery.properties, project: { type: 'integer', minimum: 1 } } } } },
    async (request) => {
      const { limit = 50, ...rest } = request.query;
      return store.events.search({ ...rest, limit });
    },
  );

  for (const which of ['latest', 'oldest'] as const) {
    app.get<{ Params: { id: number } }>(
      `/api/issues/:id/events/${which}`,
      { schema: { params: idParams, response: { 404: errorSchema } } },
      async (request, reply) => {
        const stored = store.events[which](request.params.id);
        return stored ? detail(stored) : notFound(reply, `an event of issue ${request.params.id}`);
      },
    );
  }

  app.get<{ Params: { eventId: string } }>(
    '/api/events/:eventId',
    { schema: { params: eventIdParams, response: { 404: errorSchema } } },
    async (request, reply) => {
      const stored = store.events.byEventId(storedEventId(request.params.eventId));
      return stored ? detail(stored) : notFound(reply, `event ${request.params.eventId}`);
    },
  );

  app.get<{ Params: { eventId: string; attachmentId: number } }>(
    '/api/events/:eventId/attachments/:attachmentId',
    {
      schema: {
        params: {
          type: 'object',
          properties: { ...eventIdParams.properties, attachmentId: { type: 'integer', minimum: 1 } },
          required: ['eventId', 'attachmentId'],
        },
      },
    },
    async (request, reply) => {
      const attachment = store.events.attachment(request.params.attachmentId, request.params.eventId.toLowerCase());
      if (!attachment) return notFound(reply, `attachment ${request.params.attachmentId}`);
      return reply
        .header('Content-Type', safeContentType(attachment.contentType))
        .header('Content-Disposition', contentDisposition(attachment.filename))
        .header('X-Content-Type-Options', 'nosniff')
        .send(attachment.data);
    },
  );
};
