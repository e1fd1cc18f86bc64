/**
 * OTLP/HTTP ingest: `POST /v1/{traces,logs}` (keyless, loopback only, project by service.name)
 * and `POST /api/:projectId/integration/otlp/v1/{traces,logs}` (the project's key, as relay).
 * Both encodings (application/x-protobuf, application/json); the answer uses the request's.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { IngestDeps } from '../ingest-sink';
import { otlpKeyedRoutes, otlpKeylessRoutes } from './plugins';

export { startOtlpListener, type OtlpListener } from './listener';
export { otlpKeyedRoutes, otlpKeylessRoutes } from './plugins';

/** Register as `app.register(otlpIngestRoutes, deps)`: both route families, each in its own scope. */
export const otlpIngestRoutes: FastifyPluginAsync<IngestDeps> = async (app, deps) => {
  await app.register(otlpKeylessRoutes, deps);
  await app.register(otlpKeyedRoutes, deps);
};
