/**
 * Serves the built renderer (out/renderer) at `/`, the same files the desktop window loads.
 * Its routes are marked `publicUi`: beyond loopback they load without the API token (see request-guard).
 *
 * The files go out through @fastify/send (conditional requests, ranges, content types), loaded by
 * the first UI request: a tracker that only ingests never needs it. @fastify/static, which wraps
 * it, loaded eagerly cost ~1.2 MB of heap (with its glob dependency) in every server. Only a file
 * found in the folder is served: the request's path is looked up among the folder's files, never
 * joined to a path on disk.
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type sendModule from '@fastify/send';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';
import { lazyModule } from '../lazy-module';

const loadSend = lazyModule<typeof sendModule>('@fastify/send');
let send: typeof sendModule | undefined;
function fileSender(): typeof sendModule {
  if (!send) {
    send = loadSend();
    // A file of a type it does not know is bytes, never sniffed as text (with nosniff below).
    (send.mime as { default_type?: string }).default_type = 'application/octet-stream';
  }
  return send;
}

/** A missing file re-reads the folder at most this often: a rebuilt UI is served without a restart. */
const RELIST_MS = 1_000;

export async function registerStaticUi(app: FastifyInstance, rendererDir: string): Promise<void> {
  // A scope of its own, so the hook marks only the routes added here.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, publicUi: true };
    });
    serveRenderer(scope, rendererDir);
  });
}

function serveRenderer(app: FastifyInstance, rendererDir: string): void {
  const files = new RendererFiles(rendererDir);
  if (!files.has('index.html')) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send(`The Stacktray UI is not built (no index.html in ${rendererDir}). Run \`npm run build\`.\n`),
    );
    return;
  }
  app.get('/*', (request, reply) => serveFile(request, reply, files, rendererDir));
}

async function serveFile(request: FastifyRequest, reply: FastifyReply, files: RendererFiles, root: string): Promise<FastifyReply> {
  const wanted = (request.params as { '*'?: string })['*'] || 'index.html';
  if (!files.has(wanted)) return notFound(reply);
  // send() decodes the path it is given: the listed name goes in encoded.
  const sent = await fileSender()(request.raw, encodeURI(`/${wanted}`), { root, index: false, dotfiles: 'deny' });
  if (sent.type === 'file') {
    return reply
      .code(sent.statusCode)
      .headers(sent.headers)
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .send(sent.stream);
  }
  // A directory, or a file removed since it was listed (a rebuild): not a file of the UI.
  if (sent.type === 'directory' || sent.statusCode === 404) return notFound(reply);
  // What send refused (a failed precondition, an unsatisfiable range) goes out with its status.
  return reply.send(sent.metadata.error);
}

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

/** The renderer folder's files by their URL path ('assets/index-abc.js'), dotfiles left out. */
class RendererFiles {
  private files = new Set<string>();
  private listedAt = 0;

  constructor(private readonly dir: string) {
    this.list();
  }

  has(path: string): boolean {
    if (this.files.has(path)) return true;
    if (Date.now() - this.listedAt < RELIST_MS) return false;
    this.list();
    return this.files.has(path);
  }

  private list(): void {
    this.listedAt = Date.now();
    let entries;
    try {
      entries = readdirSync(this.dir, { recursive: true, withFileTypes: true });
    } catch {
      this.files = new Set();
      return;
    }
    this.files = new Set(
      entries
        .filter((entry) => entry.isFile())
        .map((entry) => relative(this.dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
        .filter((path) => !path.split('/').some((segment) => segment.startsWith('.'))),
    );
  }
}
