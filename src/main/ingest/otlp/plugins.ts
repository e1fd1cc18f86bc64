/** The two OTLP route families as encapsulated plugins (each with its own body parser scope). */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { bodyBytes, registerBodyParsers } from '../body';
import type { IngestDeps } from '../ingest-sink';
import { keylessRefusal } from '../local-sender';
import { countRefusal } from '../refusals';
import { authorize, collectCredentials } from '../sentry/auth';
import { addCorsHeaders, answerPreflight } from '../sentry/cors';
import { ingestExport, type ProjectTarget } from './export';
import { OtlpFormatError } from './otlp-types';
import type { OtlpSignal } from './proto-schema';
import { decodeBody, encodingOf, sendExportResponse, sendStatus, type OtlpEncoding } from './wire';

const SIGNALS: OtlpSignal[] = ['traces', 'logs'];

const keyedRouteSchema = {
  params: {
    type: 'object',
    properties: { projectId: { type: 'integer', minimum: 1 } },
    required: ['projectId'],
  },
  querystring: {
    type: 'object',
    properties: { sentry_key: { type: 'string' }, sentry_version: { type: 'string' } },
  },
} as const;

/** `/v1/traces` and `/v1/logs` only: what the extra listener on port 4318 serves. */
export const otlpKeylessRoutes: FastifyPluginAsync<IngestDeps> = async (app, deps) => {
  registerBodyParsers(app, deps.limits);
  app.setErrorHandler(otlpErrorHandler(deps));
  for (const signal of SIGNALS) {
    app.post(`/v1/${signal}`, async (request, reply) => {
      const encoding = encodingOf(request.headers['content-type']);
      const refusal = keylessRefusal(request, 'OTLP', `/api/<project id>/integration/otlp/v1/${signal}`);
      if (refusal !== null) {
        countRefusal(deps, request, 403, refusal, { reason: 'not-local', projectId: null });
        return sendStatus(reply, encoding ?? 'json', 403, refusal);
      }
      return handleExport(deps, signal, { kind: 'service' }, request, reply);
    });
  }
};

/** `/api/:projectId/integration/otlp/v1/*`: the project's key required, CORS as for Sentry ingest. */
export const otlpKeyedRoutes: FastifyPluginAsync<IngestDeps> = async (app, deps) => {
  registerBodyParsers(app, deps.limits);
  app.setErrorHandler(otlpErrorHandler(deps));
  addCorsHeaders(app);
  for (const signal of SIGNALS) {
    const url = `/api/:projectId/integration/otlp/v1/${signal}`;
    app.options(url, answerPreflight);
    app.post<{ Params: { projectId: number }; Querystring: Record<string, unknown> }>(url, { schema: keyedRouteSchema }, async (request, reply) => {
      const encoding = encodingOf(request.headers['content-type']) ?? 'json';
      const credentials = collectCredentials({ headers: request.headers, query: request.query });
      const auth = Array.isArray(credentials) ? authorize(request.params.projectId, credentials, deps.projects) : credentials;
      if (!auth.ok) {
        countRefusal(deps, request, auth.status, auth.detail, { reason: auth.reason, projectId: auth.projectId });
        return sendStatus(reply, encoding, auth.status, auth.detail);
      }
      return handleExport(deps, signal, { kind: 'project', project: auth.project }, request, reply);
    });
  }
};

async function handleExport(
  deps: IngestDeps,
  signal: OtlpSignal,
  target: ProjectTarget,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const encoding = encodingOf(request.headers['content-type']);
  if (!encoding) {
    const detail = `unsupported Content-Type ${request.headers['content-type'] ?? '(none)'}; OTLP/HTTP uses application/x-protobuf or application/json`;
    countRefusal(deps, request, 415, detail);
    return sendStatus(reply, 'json', 415, detail);
  }
  const receivedAt = Date.now() / 1000;
  try {
    const decoded = decodeBody(signal, encoding, bodyBytes(request));
    const outcome = await ingestExport(deps, signal, decoded, target, receivedAt);
    if (!outcome.ok) {
      if (outcome.headers) void reply.headers(outcome.headers);
      return sendStatus(reply, encoding, outcome.status, outcome.message);
    }
    return sendExportResponse(reply, signal, encoding, outcome.partial);
  } catch (error) {
    if (!(error instanceof OtlpFormatError)) throw error;
    countRefusal(deps, request, 400, error.message);
    return sendStatus(reply, encoding, 400, error.message);
  }
}

/** Body refusals (413, 415 encoding, 400 undecodable), validation errors and the unexpected. */
const otlpErrorHandler = (deps: IngestDeps) => (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
  const encoding: OtlpEncoding = encodingOf(request.headers['content-type']) ?? 'json';
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  countRefusal(deps, request, status, error.message.split('\n')[0] ?? '');
  const headers = (error as { headers?: unknown }).headers;
  if (headers && typeof headers === 'object') void reply.headers(headers as Record<string, string>);
  if (status >= 500) request.log.error({ err: error }, 'OTLP request failed');
  void sendStatus(reply, encoding, status, status >= 500 ? 'internal error' : (error.message.split('\n')[0] ?? error.message));
};
