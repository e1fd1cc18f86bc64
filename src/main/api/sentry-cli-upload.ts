/**
 * The part of Sentry's API that `sentry-cli sourcemaps upload` uses: the token check
 * (`GET /api/0/`), chunk-upload options and chunk upload (each part named by its chunk's sha1,
 * gzip or not; a part whose data does not hash to its name is refused), and artifact-bundle
 * assembly. Bundles land in the data folder (store/artifact-bundles.ts). Any token works on
 * loopback; beyond loopback the request guard wants the API token, as for the rest of the API.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { ArtifactBundleStore } from '../store/artifact-bundles';
import type { Store } from '../store';

export interface SentryCliUploadDeps {
  store: Store;
  bundles: ArtifactBundleStore;
}

const CHUNK_SIZE = 8 * 1024 * 1024;
const CHUNKS_PER_REQUEST = 8;
const MAX_REQUEST_SIZE = CHUNK_SIZE * CHUNKS_PER_REQUEST;
const MAX_FILE_SIZE = 512 * 1024 * 1024;
const SHA1 = /^[0-9a-f]{40}$/;

const orgParams = {
  type: 'object',
  properties: { org: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['org'],
} as const;

const assembleBody = {
  type: 'object',
  properties: {
    checksum: { type: 'string', pattern: '^[0-9a-f]{40}$' },
    chunks: { type: 'array', maxItems: MAX_FILE_SIZE / CHUNK_SIZE, items: { type: 'string', pattern: '^[0-9a-f]{40}$' } },
    projects: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 200 } },
    version: { type: 'string', maxLength: 250 },
    dist: { type: 'string', maxLength: 64 },
  },
  required: ['checksum', 'chunks', 'projects'],
} as const;

interface AssembleBody {
  checksum: string;
  chunks: string[];
  projects: string[];
  version?: string;
  dist?: string;
}

export const sentryCliUploadRoutes: FastifyPluginAsync<SentryCliUploadDeps> = async (app, deps) => {
  await app.register(fastifyMultipart, { limits: { fileSize: CHUNK_SIZE, files: CHUNKS_PER_REQUEST, fields: 16, parts: CHUNKS_PER_REQUEST + 16 } });

  app.get('/api/0/', async () => ({ version: '0', auth: { scopes: ['org:ci', 'project:releases'] }, user: null }));

  app.get<{ Params: { org: string } }>('/api/0/organizations/:org/chunk-upload/', { schema: { params: orgParams } }, async (request) => ({
    url: `${request.protocol}://${request.headers.host ?? '127.0.0.1'}/api/0/organizations/${encodeURIComponent(request.params.org)}/chunk-upload/`,
    chunkSize: CHUNK_SIZE,
    chunksPerRequest: CHUNKS_PER_REQUEST,
    maxRequestSize: MAX_REQUEST_SIZE,
    maxFileSize: MAX_FILE_SIZE,
    concurrency: 2,
    hashAlgorithm: 'sha1',
    compression: ['gzip'],
    // sentry-cli 2.x uploads in chunks only when release_files is accepted; then it assembles artifact bundles.
    accept: ['release_files', 'artifact_bundles', 'artifact_bundles_v2'],
  }));

  app.post<{ Params: { org: string } }>(
    '/api/0/organizations/:org/chunk-upload/',
    { schema: { params: orgParams }, bodyLimit: MAX_REQUEST_SIZE + 1024 * 1024 },
    async (request, reply) => {
      if (!request.isMultipart()) return reply.code(400).send({ detail: 'chunks are sent as multipart/form-data' });
      const received: [string, Buffer][] = [];
      for await (const part of request.files()) {
        const sha1 = (part.filename ?? '').toLowerCase();
        if (!SHA1.test(sha1)) return reply.code(400).send({ detail: `chunk part ${part.fieldname} is not named by a sha1` });
        const sent = await part.toBuffer();
        if (part.file.truncated) return reply.code(413).send({ detail: `chunk ${sha1} is over the ${CHUNK_SIZE} byte chunk size` });
        let data: Buffer;
        try {
          data = part.fieldname === 'file_gzip' ? gunzipSync(sent, { maxOutputLength: CHUNK_SIZE }) : sent;
        } catch {
          return reply.code(400).send({ detail: `chunk ${sha1} is not valid gzip of at most ${CHUNK_SIZE} bytes` });
        }
        const actual = createHash('sha1').update(data).digest('hex');
        if (actual !== sha1) return reply.code(400).send({ detail: `chunk ${sha1} hashes to ${actual}: refused` });
        received.push([sha1, data]);
      }
      // Stored only once every part of the request checked out.
      for (const [sha1, data] of received) deps.bundles.saveChunk(sha1, data);
      return reply.code(200).send({});
    },
  );

  app.post<{ Params: { org: string }; Body: AssembleBody }>(
    '/api/0/organizations/:org/artifactbundle/assemble/',
    { schema: { params: orgParams, body: assembleBody } },
    async (request, reply) => {
      const projects = deps.store.projects.list();
      const projectIds: number[] = [];
      for (const wanted of request.body.projects) {
        const project = projects.find((candidate) => candidate.name === wanted || String(candidate.id) === wanted || slug(candidate.name) === wanted);
        if (!project) return reply.code(404).send({ detail: `project ${wanted} does not exist (use its name or id)` });
        projectIds.push(project.id);
      }
      const { checksum, chunks, version, dist } = request.body;
      const result = await deps.bundles.assemble({ checksum, chunks, projectIds, release: version, dist });
      if (result.state === 'error') request.log.warn(`artifact bundle ${checksum}: ${result.detail}`);
      return result;
    },
  );
};

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
