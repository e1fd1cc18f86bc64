/**
 * The Fastify app: ingest routes (Sentry, OTLP), the HTTP API, the live stream, MCP and the UI.
 * Built here, listened on elsewhere (the core), so tests and hosts share one factory.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import fastifySse from '@fastify/sse';
import type { IngestDeps } from '../ingest/ingest-sink';
import { sentryIngestRoutes } from '../ingest/sentry';
import { otlpIngestRoutes } from '../ingest/otlp/routes';
import type { ApiDeps } from '../api/api-deps';
import { projectRoutes } from '../api/projects';
import { issueRoutes } from '../api/issues';
import { eventRoutes } from '../api/events';
import { exportImportRoutes } from '../api/export-import';
import { settingsRoutes } from '../api/settings';
import { streamRoutes } from '../api/stream';
import { mergeRoutes } from '../api/merge';
import { mcpRoutes } from '../mcp/http-route';
import { refusalRoutes } from '../api/refusals';
import { openInEditorRoutes } from '../api/open-in-editor';
import { artifactBundleRoutes } from '../api/artifact-bundles';
import { sentryCliUploadRoutes } from '../api/sentry-cli-upload';
import { registerRequestGuard } from './request-guard';
import { registerStaticUi } from './static-ui';
import { PLAIN_SCHEMA_ERROR_AJV_OPTIONS, plainSchemaError } from './schema-errors';
import { lazySchemaCompilers } from './lazy-schema-compilers';

export interface ServerOptions {
  ingest: IngestDeps;
  api: ApiDeps;
  rendererDir: string;
  apiToken: string | null;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Default DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number | undefined;
}

/** Slow or stalled uploads and idle connections are cut off; a local tracker never needs longer. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_CONNECTIONS = 1024;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: { level: options.logLevel },
    // Request logging off: at thousands of events/s a line per request is noise and cost.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: timeoutMs,
    connectionTimeout: timeoutMs,
    // Node checks request timeouts every 30 s by default: a stalled upload could last ~2× the limit.
    http: { connectionsCheckingInterval: Math.min(30_000, Math.ceil(timeoutMs / 4)) },
    keepAliveTimeout: 10_000,
    forceCloseConnections: 'idle',
    bodyLimit: 2 * 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, ...PLAIN_SCHEMA_ERROR_AJV_OPTIONS } },
    schemaErrorFormatter: plainSchemaError,
    // Validators and serializers compiled by each route's first request (lazy-schema-compilers.ts).
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  app.server.maxConnections = MAX_CONNECTIONS;

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const detail = status === 500 ? 'internal error' : oneLine(error.message);
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.warn(`${request.method} ${request.url.split('?')[0]} → ${status}: ${detail}`);
    void reply.code(status).send({ detail });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ detail: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });

  registerRequestGuard(app, { apiToken: options.apiToken });
  // The live stream is an idle connection between messages: a heartbeat well inside the idle
  // timeout keeps it open. At the plugin's default (30 s, equal to the timeout) the stream was
  // cut every 30 s, and what happened while the browser reconnected was missed.
  await app.register(fastifySse, { heartbeatInterval: Math.floor(timeoutMs / 3) });
  await app.register(sentryIngestRoutes, options.ingest);
  await app.register(otlpIngestRoutes, options.ingest);
  await app.register(projectRoutes, options.api);
  await app.register(issueRoutes, options.api);
  await app.register(eventRoutes, options.api);
  await app.register(exportImportRoutes, options.api);
  await app.register(settingsRoutes, options.api);
  await app.register(streamRoutes, options.api);
  await app.register(mergeRoutes, options.api);
  await app.register(mcpRoutes, options.api);
  await app.register(refusalRoutes, options.api);
  await app.register(openInEditorRoutes, options.api);
  await app.register(artifactBundleRoutes, options.api);
  await app.register(sentryCliUploadRoutes, { store: options.api.store, bundles: options.api.bundles });
  await registerStaticUi(app, options.rendererDir);
  return app;
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}
