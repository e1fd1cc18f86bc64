/**
 * Request bodies for the ingest routes (Sentry and OTLP): one catch-all content-type parser that
 * hands every route a Buffer, already decompressed and size-checked. Register it on the
 * encapsulated instance that holds the ingest routes so other routes keep Fastify's parsers.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IngestHttpError } from './body/body-error';
import { readRequestBody } from './body/decode';
import type { IngestLimits } from './ingest-sink';

export { IngestHttpError } from './body/body-error';
export { readRequestBody } from './body/decode';

/**
 * Replaces the scope's parsers with one for every content type (envelopes, text/plain from
 * browsers, JSON, protobuf, none at all). `request.body` is a Buffer, or undefined when the
 * request had no body. Refusals are IngestHttpError (413 too large, 415 unknown encoding,
 * 400 undecodable); `ingestErrorHandler` turns them into `{"detail": …}`.
 */
export function registerBodyParsers(app: FastifyInstance, limits: IngestLimits): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request: FastifyRequest, payload: IncomingMessage) => readRequestBody(payload, request.headers, limits));
}

/** `request.body` as bytes: an empty Buffer when the request carried none. */
export function bodyBytes(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/**
 * An error handler answering `{"detail": "<one-line reason>"}` with the error's status (4xx from
 * our own refusals and Fastify's, 500 for anything unexpected, which is also logged).
 */
export function ingestErrorHandler(error: FastifyError | IngestHttpError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const status = statusOf(error);
  if (error instanceof IngestHttpError) reply.headers(error.headers);
  // A 503 is a storage refusal: the pipeline logs when it starts and ends, not once per request.
  if (status >= 500 && status !== 503) request.log.error({ err: error }, 'ingest request failed');
  const detail = status >= 500 && !(error instanceof IngestHttpError) ? 'internal error' : firstLine(error.message);
  // Sentry SDKs log this header when they drop an envelope.
  void reply.code(status).header('x-sentry-error', detail.replace(/[^\x20-\x7e]/g, '?')).send({ detail });
}

function statusOf(error: Error): number {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
