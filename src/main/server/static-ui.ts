/**
 * Serves the built renderer (out/renderer) at `/`, the same files the desktop window loads.
 * Its routes are marked `publicUi`: beyond loopback they load without the API token (see request-guard).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

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
      void reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header('Referrer-Policy', 'no-referrer');
    },
  });
}
