/**
 * CORS for the Sentry ingest routes only, as relay answers it: browsers on any origin may post
 * events. Hand-written rather than @fastify/cors (not a dependency): one hook in this plugin's
 * encapsulated scope plus explicit OPTIONS routes keep it away from the API, whose requests must
 * stay same-origin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** Relay's list, plus the tracing headers browsers attach to fetches. */
export const CORS_ALLOWED_HEADERS = [
  'x-sentry-auth',
  'x-requested-with',
  'x-forwarded-for',
  'origin',
  'referer',
  'accept',
  'content-type',
  'authentication',
  'authorization',
  'content-encoding',
  'transfer-encoding',
  'sentry-trace',
  'baggage',
].join(', ');

export const CORS_EXPOSED_HEADERS = 'x-sentry-error, x-sentry-rate-limits, retry-after';
export const CORS_MAX_AGE_SECONDS = 3600;

/** Every response of the scope (errors included) names the caller's origin as allowed. */
export function addCorsHeaders(app: FastifyInstance): void {
  // A callback hook: an async one costs a promise and a microtask on every ingest request.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      void reply
        .header('access-control-allow-origin', origin)
        .header('vary', 'Origin')
        .header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
    }
    done();
  });
}

/** The preflight answer for one ingest path. */
export function answerPreflight(_request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .code(204)
    .header('access-control-allow-methods', 'POST')
    .header('access-control-allow-headers', CORS_ALLOWED_HEADERS)
    .header('access-control-max-age', String(CORS_MAX_AGE_SECONDS))
    .send();
}
