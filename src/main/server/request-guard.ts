/**
 * Keeps other web pages and other machines away from the API and UI: the Host must be a
 * loopback name (no DNS rebinding), state-changing calls must not come from a foreign Origin
 * (no CSRF), and when Stacktray listens beyond loopback every API call needs the API token.
 * Ingest routes are exempt: SDKs post from anywhere their DSN points them. So are the UI's static
 * files beyond loopback: they are public code, and the page asks for the token itself.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { isLoopbackOrigin } from '../ingest/local-sender';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the routes serving the UI's static files: they load without the API token. */
    publicUi?: boolean;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const INGEST_PATH = /^\/(api\/(\d+\/)?(envelope|store|integration\/otlp\/v1\/(traces|logs)|security|csp-report|minidump)\/?|stream\/?|v1\/(traces|logs)\/?)(\?|$)/;

export function isIngestPath(url: string): boolean {
  return INGEST_PATH.test(url);
}

export function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1).toLowerCase();
  return hostHeader.split(':')[0]?.toLowerCase() ?? '';
}


export interface GuardOptions {
  /** Set when listening beyond loopback: required as `Authorization: Bearer <token>` or `?token=`. */
  apiToken: string | null;
}

/** The 401 detail; the renderer tells it apart from other failures by the WWW-Authenticate header. */
const TOKEN_REQUIRED_DETAIL = 'this Stacktray requires its API token (Authorization: Bearer <token>)';

export function registerRequestGuard(app: FastifyInstance, options: GuardOptions): void {
  // A callback hook: ingest requests pass it thousands of times a second, and an async hook
  // costs each a promise and a microtask. A refused request is answered here, and (as Fastify's
  // hooks guide says of an early answer) `done` is then not called.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (isIngestPath(request.url) || guard(request, reply, options)) done();
  });
}

/** Whether the request may go on; a refused one has been answered. */
function guard(request: FastifyRequest, reply: FastifyReply, options: GuardOptions): boolean {
  if (options.apiToken !== null) {
    if (isPublicUi(request)) return true;
    if (!hasToken(request, options.apiToken)) {
      void reply.header('WWW-Authenticate', 'Bearer realm="Stacktray"');
      return deny(reply, 401, TOKEN_REQUIRED_DETAIL);
    }
    return true;
  }
  // A page that once ran against a token-mode Stacktray on this origin may still send its token.
  takeQueryToken(request);
  if (!LOOPBACK_HOSTS.has(hostName(request.headers.host))) {
    return deny(reply, 403, 'Stacktray answers only to loopback host names (127.0.0.1, localhost)');
  }
  const origin = request.headers.origin;
  if (!SAFE_METHODS.has(request.method) && origin !== undefined && origin !== 'null' && !isLoopbackOrigin(origin)) {
    return deny(reply, 403, `requests from ${origin} may not change Stacktray's data`);
  }
  if (!SAFE_METHODS.has(request.method) && origin === 'null') {
    return deny(reply, 403, 'requests from an opaque origin may not change Stacktray\'s data');
  }
  return true;
}

/** Static UI routes, and never anything under /api/ (the static wildcard would also match there). */
function isPublicUi(request: FastifyRequest): boolean {
  if (request.routeOptions.config.publicUi !== true) return false;
  const path = request.url.split('?')[0] ?? '';
  return path !== '/api' && !path.startsWith('/api/');
}

function hasToken(request: FastifyRequest, token: string): boolean {
  const queryToken = takeQueryToken(request);
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  return sameSecret(bearer, token) || sameSecret(queryToken, token);
}

/** Compared in constant time: the port may be reachable from the whole network. */
function sameSecret(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Routes validate their query strictly (additionalProperties: false): `token` is ours, not theirs. */
function takeQueryToken(request: FastifyRequest): unknown {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query || !('token' in query)) return undefined;
  const token = query.token;
  delete query.token;
  return token;
}

function deny(reply: FastifyReply, status: number, detail: string): false {
  void reply.code(status).send({ detail });
  return false;
}
