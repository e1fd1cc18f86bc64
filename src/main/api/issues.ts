/** `/api/issues`: the list with filters, details, status changes (single and bulk), deletion. */
import type { FastifyPluginAsync } from 'fastify';
import type { BulkUpdateIssuesRequest, IssueListQuery, SimilarIssueList, UpdateIssueRequest } from '../../shared/api';
import type { Issue } from '../../shared/issue';
import { applyStatusRequest, type StatusRequest } from '../pipeline/lifecycle';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const listQuery = {
  type: 'object',
  properties: {
    project: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['unresolved', 'resolved', 'ignored', 'all'] },
    query: { type: 'string', maxLength: 1000 },
    sort: { type: 'string', enum: ['lastSeen', 'firstSeen', 'count'] },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    cursor: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
} as const;

const statusProperties = {
  status: { type: 'string', enum: ['unresolved', 'resolved', 'ignored'] },
  resolveIn: { type: 'string', enum: ['next-release'] },
} as const;

const updateBody = {
  type: 'object',
  properties: statusProperties,
  required: ['status'],
  additionalProperties: false,
} as const;

const bulkBody = {
  type: 'object',
  properties: { ...statusProperties, ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 1000 } },
  required: ['status', 'ids'],
  additionalProperties: false,
} as const;

function toStatusRequest(body: UpdateIssueRequest): StatusRequest {
  if (body.status === 'resolved') return { status: 'resolved', inNextRelease: body.resolveIn === 'next-release' };
  return { status: body.status };
}

export const issueRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store, hub } = deps;

  function changeStatus(id: number, body: UpdateIssueRequest): Issue | undefined {
    const state = store.issues.lifecycleState(id);
    if (!state) return undefined;
    store.issues.saveLifecycleState(id, applyStatusRequest(state, toStatusRequest(body), Date.now() / 1000));
    const issue = store.issues.get(id);
    if (issue) hub.publish({ type: 'issue.updated', issue });
    return issue;
  }

  app.get<{ Querystring: IssueListQuery }>('/api/issues', { schema: { querystring: listQuery } }, async (request) =>
    store.issues.list(request.query),
  );

  app.get<{ Params: { id: number } }>(
    '/api/issues/:id',
    { schema: { params: idParams, response: { 404: errorSchema } } },
    async (request, reply) => {
      const issue = store.issues.detail(request.params.id);
      return issue ?? reply.code(404).send({ detail: `issue ${request.params.id} does not exist` });
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/issues/:id/similar',
    { schema: { params: idParams, response: { 404: errorSchema } } },
    async (request, reply): Promise<SimilarIssueList | undefined> => {
      if (!store.issues.row(request.params.id)) return reply.code(404).send({ detail: `issue ${request.params.id} does not exist` });
      return { issues: store.issues.similar(request.params.id) };
    },
  );

  app.patch<{ Params: { id: number }; Body: UpdateIssueRequest }>(
    '/api/issues/:id',
    { schema: { params: idParams, body: updateBody, response: { 404: errorSchema } } },
    async (request, reply) => {
      const issue = store.db.transaction(() => changeStatus(request.params.id, request.body))();
      return issue ?? reply.code(404).send({ detail: `issue ${request.params.id} does not exist` });
    },
  );

  app.post<{ Body: BulkUpdateIssuesRequest }>('/api/issues/bulk', { schema: { body: bulkBody } }, async (request) => {
    const { ids, ...change } = request.body;
    const issues = store.db.transaction(() => ids.map((id) => changeStatus(id, change)).filter((issue) => issue !== undefined))();
    return { issues };
  });

  app.delete<{ Params: { id: number } }>(
    '/api/issues/:id',
    { schema: { params: idParams, response: { 404: errorSchema } } },
    async (request, reply) => {
      const { id } = request.params;
      if (!store.issues.delete(id)) return reply.code(404).send({ detail: `issue ${id} does not exist` });
      store.issueHashes.clear();
      hub.publish({ type: 'issue.deleted', issueId: id });
      return reply.code(204).send();
    },
  );
};
