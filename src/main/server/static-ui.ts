/**
 * Serves the built renderer (out/renderer) at `/`, the same files the desktop window loads.
 * Its routes are marked `publicUi`: beyond loopback they load without the API token (see request-guard).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerStaticUi(app: FastifyInstance, rendererDir: string): Promise<void> {
  // A scope of its own, so the hook marks only the routes @fastify/static adds here.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, publicUi: true };
    });
    await serveRenderer(scope, rendererDir);
  });
}

async function serveRenderer(app: FastifyInstance, rendererDir: string): Promise<void> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send(`The Stacktray UI is not built (no index.html in ${rendererDir}). Run \`npm run build\`.\n`),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: rendererDir,
    prefix: '/',
    index: ['index.html'],
    setHeaders(reply) {
      void reply.header('Content-Security-Policy', CSP);
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header('Referrer-Policy', 'no-referrer');
    },
  });
}
