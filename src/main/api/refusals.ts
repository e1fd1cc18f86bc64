/** `GET /api/refusals`: ingest requests refused in the last 24 hours, per project, reason and status. */
import type { FastifyPluginAsync } from 'fastify';
import type { RefusalList } from '../../shared/refusal';
import type { ApiDeps } from './api-deps';

const refusalSchema = {
  type: 'object',
  properties: {
    projectId: { type: ['integer', 'null'] },
    status: { type: 'integer' },
    reason: { type: 'string', enum: ['wrong-key', 'missing-key', 'disabled-key', 'unknown-project', 'rate-limited', 'too-large', 'malformed', 'not-local'] },
    count: { type: 'integer' },
    countLastHour: { type: 'integer' },
    firstAt: { type: 'string' },
    lastAt: { type: 'string' },
    detail: { type: 'string' },
  },
  required: ['projectId', 'status', 'reason', 'count', 'countLastHour', 'firstAt', 'lastAt', 'detail'],
} as const;

const listSchema = {
  type: 'object',
  properties: { refusals: { type: 'array', items: refusalSchema } },
  required: ['refusals'],
} as const;

export const refusalRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get('/api/refusals', { schema: { response: { 200: listSchema } } }, async (): Promise<RefusalList> => ({ refusals: deps.refusals.list() }));
};
