/**
 * Merge issues (several → one), list an issue's fingerprints with the events each holds, and
 * unmerge (split an issue by fingerprint).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { IssueFingerprintList, MergeIssuesRequest, UnmergeIssueRequest } from '../../shared/api';
import { IssueMerger, MergeError } from '../store/issue-merge';
import { IssueFingerprints } from '../store/issue-fingerprints';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const mergeBody = {
  type: 'object',
  properties: { ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 100 } },
  required: ['ids'],
  additionalProperties: false,
} as const;

const unmergeBody = {
  type: 'object',
  properties: { hashes: { type: 'array', items: { type: 'string', maxLength: 64 }, minItems: 1, maxItems: 100 } },
  required: ['hashes'],
  additionalProperties: false,
} as const;

export const mergeRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store, hub } = deps;
  const regroup = { normalizeStored: deps.normalizeStored, group: deps.group };
  const merger = new IssueMerger(store.db, store.issueHashes, regroup);
  const fingerprints = new IssueFingerprints(store.db, regroup);

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof MergeError) return reply.code(error.status).send({ detail: error.message });
    throw error;
  });

  app.post<{ Body: MergeIssuesRequest }>(
    '/api/issues/merge',
    { schema: { body: mergeBody, response: { 400: errorSchema, 404: errorSchema, 409: errorSchema } } },
    async (request) => {
      const survivor = merger.merge(request.body.ids);
      for (const id of request.body.ids) if (id !== survivor) hub.publish({ type: 'issue.deleted', issueId: id });
      const issue = store.issues.get(survivor);
      if (issue) hub.publish({ type: 'issue.updated', issue });
      return store.issues.detail(survivor);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/issues/:id/hashes',
    { schema: { params: idParams, response: { 404: errorSchema } } },
    async (request, reply): Promise<IssueFingerprintList | undefined> => {
      const list = fingerprints.list(request.params.id);
      if (!list) return reply.code(404).send({ detail: `issue ${request.params.id} does not exist` });
      return list;
    },
  );

  app.post<{ Params: { id: number }; Body: UnmergeIssueRequest }>(
    '/api/issues/:id/unmerge',
    { schema: { params: idParams, body: unmergeBody, response: { 400: errorSchema, 404: errorSchema } } },
    async (request) => {
      const created = merger.unmerge(request.params.id, request.body.hashes);
      for (const id of [request.params.id, created]) {
        const issue = store.issues.get(id);
        if (issue) hub.publish({ type: id === created ? 'issue.created' : 'issue.updated', issue });
      }
      return store.issues.detail(created);
    },
  );
};
