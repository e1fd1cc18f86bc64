/** Events: an issue's events (newest first), one event in full, latest/oldest, attachments. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { EventDetail } from '../../shared/api';
import { withinPayloadDepth } from '../pipeline/normalize/payload-depth';
import { withDiskContext } from '../sources/disk-context';
import type { StoredEvent } from '../store/events-repo';
import { contentDisposition, safeContentType } from './download';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const pageQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    cursor: { type: 'string', pattern: '^[0-9]+$' },
  },
  additionalProperties: false,
} as const;

const eventIdParams = {
  type: 'object',
  properties: { eventId: { type: 'string', pattern: '^[0-9a-fA-F-]{32,36}$' } },
  required: ['eventId'],
} as const;

export const eventRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store } = deps;

  async function detail(stored: StoredEvent): Promise<EventDetail> {
    const { summary } = stored;
    const normalized = deps.normalizeStored(stored.payloadJson, Date.parse(summary.received) / 1000, summary.eventId);
    const grouping = deps.group(normalized, summary.projectId);
    // Lines read from disk are added for the reader only: grouping, `raw` and exports never see them.
    const event = await withDiskContext(normalized, deps.sources.reader);
    let raw: unknown;
    try {
      raw = JSON.parse(stored.payloadJson);
    } catch {
      raw = stored.payloadJson;
    }
    // A payload is stored as sent and may nest deeper than the response serializer's stack allows.
    raw = withinPayloadDepth(raw);
    return {
      ...summary,
      event,
      raw,
      attachments: store.events.attachments(summary.projectId, summary.eventId),
      grouping: { config: grouping.config, variants: grouping.variants },
      ...store.events.neighbours(summary.issueId, stored.rowId),
    };
  }

  function notFound(reply: FastifyReply, what: string) {
    return reply.code(404).send({ detail: `${what} does not exist` });
  }

  app.get<{ Params: { id: number }; Querystring: { limit?: number; cursor?: string } }>(
    '/api/issues/:id/events',
    { schema: { params: idParams, querystring: pageQuery, response: { 404: errorSchema } } },
    async (request, reply) => {
      if (!store.issues.row(request.params.id)) return notFound(reply, `issue ${request.params.id}`);
      return store.events.listForIssue(request.params.id, request.query.limit ?? 50, request.query.cursor);
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
      const stored = store.events.byEventId(request.params.eventId.replaceAll('-', '').toLowerCase());
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
