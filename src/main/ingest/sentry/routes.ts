/**
 * The Sentry ingest routes: envelopes (`/api/:projectId/envelope/`), legacy store events
 * (`/api/:projectId/store/`, `/api/store/`) and Spotlight's keyless `/stream`. Each reads the
 * body (../body.ts), authenticates, turns the request into an IncomingEnvelope and answers 200
 * only once the sink has committed it.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { EnvelopeError, parseEnvelope, type Envelope } from '../../envelope/parse';
import { bodyBytes, IngestHttpError, ingestErrorHandler, registerBodyParsers } from '../body';
import { retryAfterHeader, StorageUnavailableError, type IngestDeps, type IncomingEnvelope, type ProjectKey } from '../ingest-sink';
import { countRefusal } from '../refusals';
import { authorize, collectCredentials, parseDsn, type AuthOutcome } from './auth';
import { keylessRefusal } from '../local-sender';
import { addCorsHeaders, answerPreflight } from './cors';
import { readEnvelopeItems, readEventPayload, type EnvelopeContents } from './envelope-items';
import { authQuerySchema, ingestResponseSchemas, projectParamsSchema } from './schemas';

type RouteKind = 'envelope' | 'store';

/** Register as `app.register(sentryIngestRoutes, deps)`: an encapsulated scope of its own. */
export async function sentryIngestRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  registerBodyParsers(app, deps.limits);
  app.setErrorHandler((error: FastifyError | IngestHttpError, request, reply) => {
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    const facts = error instanceof IngestHttpError ? error.refusal : undefined;
    countRefusal(deps, request, status, error.message.split('\n')[0] ?? '', facts);
    ingestErrorHandler(error, request, reply);
  });
  addCorsHeaders(app);

  addRoute(app, '/api/:projectId/envelope/', 'envelope', deps, true);
  addRoute(app, '/api/:projectId/store/', 'store', deps, true);
  addRoute(app, '/api/store/', 'store', deps, false);
  // Spotlight's sidecar endpoint: SDKs with `spotlight: true` post envelopes here without a key,
  // so only from this machine (refused before the body is read).
  addPath(
    app,
    '/stream',
    {},
    async (request, reply) => {
      const body = bodyBytes(request);
      const envelope = parseEnvelopeOrRefuse(body);
      const projectId = streamProjectId(envelope.header, deps);
      // Never forwarded: Spotlight gets a copy of what the SDK also sends to its DSN, which
      // reaches the upstream on its own (directly, or through this Stacktray's envelope endpoint).
      return acceptEnvelope(request, reply, deps, projectId, readEnvelopeItems(envelope, itemContext(request, deps)), undefined);
    },
    (request) => refuseForeignKeyless(request, deps),
    true,
  );
}

/**
 * Spotlight traffic lands in the default project, unless the envelope names one of this
 * Stacktray's project keys (its header's `dsn`, or the key in its trace context, which SDKs send
 * without a tunnel): an SDK given both a DSN and Spotlight (as `stacktray run` does) sends every
 * envelope twice, and both copies must meet in one project to be one event.
 */
function streamProjectId(header: Record<string, unknown>, deps: IngestDeps): number {
  const dsn = typeof header['dsn'] === 'string' ? parseDsn(header['dsn']) : undefined;
  const trace = header['trace'];
  const traceKey = typeof trace === 'object' && trace !== null ? (trace as Record<string, unknown>)['public_key'] : undefined;
  const key = dsn?.key ?? (typeof traceKey === 'string' ? traceKey : undefined);
  const project = key === undefined ? undefined : deps.projects.byKey(key);
  if (!project || !project.keyEnabled || (dsn && dsn.projectId !== project.id)) return deps.projects.defaultProjectId();
  return project.id;
}

function refuseForeignKeyless(request: FastifyRequest, deps: IngestDeps): void {
  const refusal = keylessRefusal(request, 'Spotlight ingest (/stream)', '/api/<project id>/envelope/');
  // Counted under the project it would have landed in.
  if (refusal !== null) throw new IngestHttpError(403, refusal, {}, { reason: 'not-local', projectId: deps.projects.defaultProjectId() });
}

function addRoute(app: FastifyInstance, path: string, kind: RouteKind, deps: IngestDeps, withProject: boolean): void {
  const schema = withProject ? { params: projectParamsSchema, querystring: authQuerySchema } : { querystring: authQuerySchema };
  const urlProjectOf = (request: FastifyRequest): number | undefined =>
    withProject ? Number((request.params as { projectId: unknown }).projectId) : undefined;
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<string> => {
    const urlProjectId = urlProjectOf(request);
    if (kind === 'store') {
      const project = authenticate(request, deps, urlProjectId, undefined);
      return acceptEnvelope(request, reply, deps, project.id, readStoreEvent(request, deps), 'as-events');
    }
    const body = bodyBytes(request);
    const envelope = parseEnvelopeOrRefuse(body);
    const project = authenticate(request, deps, urlProjectId, envelope.header['dsn']);
    return acceptEnvelope(request, reply, deps, project.id, readEnvelopeItems(envelope, itemContext(request, deps)), body);
  };
  addPath(app, path, schema, handler, (request) => refuseBeforeBody(request, deps, urlProjectOf(request), kind));
}

/**
 * Refuses without reading the body when the URL or the header/query credentials already decide:
 * an unknown project, a wrong or conflicting key. Only a missing key on an envelope route waits,
 * since the envelope header's DSN may still bring one.
 */
function refuseBeforeBody(request: FastifyRequest, deps: IngestDeps, urlProjectId: number | undefined, kind: RouteKind): void {
  // A non-numeric id is left to schema validation (400).
  if (urlProjectId !== undefined && !Number.isSafeInteger(urlProjectId)) return;
  const credentials = collectCredentials({ headers: request.headers, query: request.query as Record<string, unknown> });
  if (!Array.isArray(credentials)) return;
  const outcome = authorize(urlProjectId, credentials, deps.projects);
  const decided = credentials.length > 0 || kind === 'store' || (!outcome.ok && outcome.status === 404);
  if (decided) refuseUnless(outcome);
}

/** One route plus its preflight, with and without the trailing slash (unless the router ignores it). */
function addPath(
  app: FastifyInstance,
  path: string,
  schema: Record<string, unknown>,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<string>,
  earlyCheck?: (request: FastifyRequest) => void,
  /** The preflight is refused by `earlyCheck` too (keyless routes: a foreign page gets no CORS grant). */
  checkPreflight = false,
): void {
  const paths = [path];
  const bare = path.replace(/\/$/, '');
  if (bare !== path && !ignoresTrailingSlash(app)) paths.push(bare);
  for (const url of paths) {
    app.route({
      method: 'POST',
      url,
      schema: { ...schema, response: ingestResponseSchemas },
      ...(earlyCheck && { onRequest: syncHook(earlyCheck) }),
      handler,
    });
    if (checkPreflight && earlyCheck) app.options(url, { onRequest: syncHook(earlyCheck) }, answerPreflight);
    else app.options(url, answerPreflight);
  }
}

/** A synchronous check as a callback hook: no promise and microtask per request, as an async hook costs. */
function syncHook(check: (request: FastifyRequest) => void): onRequestHookHandler {
  return (request, _reply, done) => {
    try {
      check(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}

/** Routes are added after the plugin body runs, so the router option is read rather than probed. */
function ignoresTrailingSlash(app: FastifyInstance): boolean {
  const config = app.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } };
  return config.routerOptions?.ignoreTrailingSlash === true || config.ignoreTrailingSlash === true;
}

function parseEnvelopeOrRefuse(bytes: Buffer): Envelope {
  try {
    return parseEnvelope(bytes);
  } catch (error) {
    if (error instanceof EnvelopeError) throw new IngestHttpError(400, `malformed envelope (${error.code}): ${error.message}`);
    throw error;
  }
}

function authenticate(request: FastifyRequest, deps: IngestDeps, urlProjectId: number | undefined, dsn: unknown): ProjectKey {
  const credentials = collectCredentials({ headers: request.headers, query: request.query as Record<string, unknown>, dsn });
  if (!Array.isArray(credentials)) return refuseUnless(credentials);
  return refuseUnless(authorize(urlProjectId, credentials, deps.projects));
}

function refuseUnless(outcome: AuthOutcome): ProjectKey {
  if (outcome.ok) return outcome.project;
  throw new IngestHttpError(outcome.status, outcome.detail, {}, { reason: outcome.reason, projectId: outcome.projectId });
}

/** The store endpoint's body is one JSON event: an error in it is the whole request's error. */
function readStoreEvent(request: FastifyRequest, deps: IngestDeps): EnvelopeContents {
  const body = bodyBytes(request);
  if (body.length > deps.limits.maxEventBytes) {
    throw new IngestHttpError(413, `event is ${body.length} bytes, over the limit of ${deps.limits.maxEventBytes}`);
  }
  const read = readEventPayload(body, itemContext(request, deps));
  if (typeof read === 'string') throw new IngestHttpError(400, `invalid event: ${read}`);
  return { events: [read], otherItems: {}, skipped: [] };
}

function itemContext(request: FastifyRequest, deps: IngestDeps): { receivedAt: number; maxEventBytes: number; clientIp: string } {
  return { receivedAt: Date.now() / 1000, maxEventBytes: deps.limits.maxEventBytes, clientIp: request.ip };
}

async function acceptEnvelope(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: IngestDeps,
  projectId: number,
  contents: EnvelopeContents,
  forward: IncomingEnvelope['forward'],
): Promise<string> {
  const { skipped, ...envelope } = contents;
  if (skipped.length > 0) request.log.warn(`sentry ingest skipped ${skipped.length} item(s): ${skipped.join('; ')}`);
  if (envelope.events.length > 0) refuseIfRateLimited(deps, projectId, envelope.events.length);
  const incoming: IncomingEnvelope = { projectId, ...envelope, forward };
  try {
    await deps.sink.accept(incoming);
  } catch (error) {
    if (error instanceof StorageUnavailableError) throw new IngestHttpError(503, `storage unavailable: ${error.message}`, retryAfterHeader(error));
    throw error;
  }
  const first = envelope.events[0];
  // Written here rather than by the route's response serializer: it is the same tiny object
  // thousands of times a second (the 200 schema still documents it). A string, with its JSON
  // content type set, goes out as is, in one write with the headers.
  void reply.code(200).header('content-type', 'application/json; charset=utf-8');
  return first ? `{"id":${JSON.stringify(first.event.event_id)}}` : '{}';
}

/**
 * The limiter counts events, and admits an envelope's events together or refuses the whole
 * envelope without counting any of them (as relay checks a quota for an item's whole quantity).
 */
function refuseIfRateLimited(deps: IngestDeps, projectId: number, events: number): void {
  const seconds = deps.rateLimiter.retryAfter(projectId, events);
  if (seconds === null) return;
  const retryAfter = String(Math.max(1, Math.ceil(seconds)));
  const headers = {
    'retry-after': retryAfter,
    // Sentry's format: retry_after:categories:scope:reason — no categories means all of them.
    'x-sentry-rate-limits': `${retryAfter}::project:rate_limited`,
  };
  throw new IngestHttpError(429, `project ${projectId} is rate limited; retry after ${retryAfter} s`, headers, {
    reason: 'rate-limited',
    projectId,
    events,
  });
}
