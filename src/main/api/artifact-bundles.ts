/** A project's uploaded artifact bundles (project settings → Source maps): list and delete. */
import type { FastifyPluginAsync } from 'fastify';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

export const artifactBundleRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get<{ Params: { id: number } }>('/api/projects/:id/artifact-bundles', { schema: { params: idParams, response: { 404: errorSchema } } }, async (request, reply) => {
    if (!deps.store.projects.get(request.params.id)) return reply.code(404).send({ detail: `project ${request.params.id} does not exist` });
    return { bundles: deps.bundles.list(request.params.id) };
  });

  app.delete<{ Params: { id: number; bundleId: string } }>(
    '/api/projects/:id/artifact-bundles/:bundleId',
    {
      schema: {
        params: {
          type: 'object',
          properties: { id: { type: 'integer', minimum: 1 }, bundleId: { type: 'string', pattern: '^[0-9a-f]{40}$' } },
          required: ['id', 'bundleId'],
        },
        response: { 404: errorSchema },
      },
    },
    async (request, reply) => {
      if (!deps.bundles.delete(request.params.id, request.params.bundleId)) {
        return reply.code(404).send({ detail: `bundle ${request.params.bundleId} of project ${request.params.id} does not exist` });
      }
      return reply.code(204).send();
    },
  );
};
