/** `/api/issues`: the list with filters, details, status changes (single and bulk), deletion. */
import type { FastifyPluginAsync } from 'fastify';
import type { BulkUpdateIssuesRequest, IssueListQuery, SimilarIssueList, UpdateIssueRequest } from '../../shared/api';
import { parseIssueQuery } from '../../shared/issue-query';
import { isIssueCursor } from '../store/issues-repo';
import { changeIssueStatus } from './issue-status';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const listQuery = {
  type: 'object',
  properties: {
    project: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['unresolved', 'resolved', 'ignored', 'all'] },
    query: { type: 'string', maxLength: 1000 },
    sort: { type: 'string', enum: ['lastSeen', 'firstSeen', 'count', 'users'] },
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

/**
 * Why the list cannot answer this query as asked (null when it can): a search term it cannot run,
 * a cursor it never gave out. The route and the core's MCP tools both ask it, so both refuse alike.
 */
export function issueListRefusal(query: IssueListQuery): string | null {
  const invalid = parseIssueQuery(query.query ?? '').invalid;
  if (invalid.length > 0) return `query: ${invalid.join('; ')}`;
  if (query.cursor !== undefined && query.cursor !== '' && !isIssueCursor(query.cursor)) {
    return 'cursor is not one this list gave out: pass the nextCursor of the previous page, or none for the first page';
  }
  return null;
}

export const issueRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store, hub } = deps;

  const changeStatus = (id: number, body: UpdateIssueRequest) => changeIssueStatus(deps, id, body);

  app.get<{ Querystring: IssueListQuery }>('/api/issues', { schema: { querystring: listQuery, response: { 400: errorSchema } } }, async (request, reply) => {
    const refusal = issueListRefusal(request.query);
    if (refusal !== null) return reply.code(400).send({ detail: refusal });
    return store.issues.list(request.query);
  });

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
      store.payloadReferences.forgetUnused();
      hub.publish({ type: 'issue.deleted', issueId: id });
      return reply.code(204).send();
    },
  );
};
