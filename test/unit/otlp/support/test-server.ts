/** A live Fastify server on 127.0.0.1:0 with only the OTLP plugin, a recording sink and memory projects. */
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_INGEST_LIMITS, type IngestDeps, type IngestLimits, type RateLimiter } from '../../../../src/main/ingest/ingest-sink';
import { otlpIngestRoutes } from '../../../../src/main/ingest/otlp/routes';
import { MemoryProjects } from './project-directory';
import { RecordingSink } from './recording-sink';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  sink: RecordingSink;
  projects: MemoryProjects;
  /** Project id → seconds to wait; projects listed here are rate limited. */
  rateLimited: Map<number, number>;
  close(): Promise<void>;
}

/** `rateLimiter` replaces the `rateLimited` map (which then has no effect), e.g. with the core's real one. */
export async function startTestServer(limits: Partial<IngestLimits> = {}, rateLimiter?: RateLimiter): Promise<TestServer> {
  const sink = new RecordingSink();
  const projects = new MemoryProjects();
  const rateLimited = new Map<number, number>();
  const deps: IngestDeps = {
    sink,
    projects,
    rateLimiter: rateLimiter ?? { retryAfter: (projectId) => rateLimited.get(projectId) ?? null },
    limits: { ...DEFAULT_INGEST_LIMITS, ...limits },
  };
  const app = Fastify({ logger: false });
  await app.register(otlpIngestRoutes, deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, app, sink, projects, rateLimited, close: () => app.close() };
}
