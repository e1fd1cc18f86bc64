/**
 * Keeps other web pages and other machines away from the API and UI: the Host must be a
 * loopback name (no DNS rebinding), state-changing calls must not come from a foreign Origin
 * (no CSRF), and when Stacktray listens beyond loopback every non-ingest call needs the API token.
 * Ingest routes are exempt: SDKs post from anywhere their DSN points them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

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

export function isLoopbackOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname.toLowerCase();
    return LOOPBACK_HOSTS.has(host) || LOOPBACK_HOSTS.has(`[${host}]`);
  } catch {
    return false;
  }
}

export interface GuardOptions {
  /** Set when listening beyond loopback: required as `Authorization: Bearer <token>` or `?token=`. */
  apiToken: string | null;
}

export function registerRequestGuard(app: FastifyInstance, options: GuardOptions): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isIngestPath(request.url)) return;
    if (options.apiToken !== null) {
      if (!hasToken(request, options.apiToken)) return deny(reply, 401, 'this Stacktray requires its API token (Authorization: Bearer <token>)');
      return;
    }
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
  });
}

function hasToken(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  if (header === `Bearer ${token}`) return true;
  const query = request.query as Record<string, unknown> | undefined;
  if (query?.token !== token) return false;
  // Routes validate their query strictly (additionalProperties: false): the token is ours, not theirs.
  delete query.token;
  return true;
}

async function deny(reply: FastifyReply, status: number, detail: string): Promise<void> {
  await reply.code(status).send({ detail });
}
