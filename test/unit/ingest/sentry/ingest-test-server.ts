/**
 * A real Fastify server with the Sentry ingest plugin, listening on 127.0.0.1:0. The plugin's
 * dependencies belong to the store and core (not this module), so the test supplies minimal
 * in-memory implementations of their contracts: a Map-based ProjectDirectory and a sink that
 * records what it accepts.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_INGEST_LIMITS,
  StorageUnavailableError,
  type IncomingEnvelope,
  type IngestLimits,
  type IngestSink,
  type ProjectDirectory,
  type ProjectKey,
  type RateLimiter,
} from '../../../../src/main/ingest/ingest-sink';
import { sentryIngestRoutes } from '../../../../src/main/ingest/sentry';

/** Test double of the IngestSink contract: records envelopes, or fails like a full disk. */
export class RecordingIngestSink implements IngestSink {
  readonly envelopes: IncomingEnvelope[] = [];
  storageDown: string | null = null;
  /** The refusal's Retry-After (seconds), as the pipeline gives once a write failed for lack of space. */
  retryAfterSeconds: number | null = null;

  async accept(envelope: IncomingEnvelope): Promise<void> {
    if (this.storageDown !== null) throw new StorageUnavailableError(this.storageDown, this.retryAfterSeconds);
    this.envelopes.push(envelope);
  }
}

/** Test double of the ProjectDirectory contract over a fixed list of projects. */
export class MapProjectDirectory implements ProjectDirectory {
  private readonly byIdMap = new Map<number, ProjectKey>();

  constructor(projects: ProjectKey[]) {
    for (const project of projects) this.byIdMap.set(project.id, project);
  }

  byId(id: number): ProjectKey | undefined {
    return this.byIdMap.get(id);
  }

  byKey(publicKey: string): ProjectKey | undefined {
    return [...this.byIdMap.values()].find((project) => project.publicKey === publicKey);
  }

  defaultProjectId(): number {
    return Math.min(...this.byIdMap.keys());
  }

  forService(): ProjectKey {
    throw new Error('OTLP projects are not part of the Sentry routes');
  }
}

/** Test double of the RateLimiter contract: a fixed answer. */
export class FixedRateLimiter implements RateLimiter {
  retryAfterSeconds: number | null = null;
  calls = 0;

  retryAfter(): number | null {
    this.calls += 1;
    return this.retryAfterSeconds;
  }
}

export const PROJECT_1: ProjectKey = { id: 1, publicKey: 'abc123', keyEnabled: true };
export const PROJECT_2: ProjectKey = { id: 2, publicKey: 'b'.repeat(32), keyEnabled: true };
export const PROJECT_DISABLED: ProjectKey = { id: 3, publicKey: 'c'.repeat(32), keyEnabled: false };

export interface IngestTestServer {
  app: FastifyInstance;
  url: string;
  sink: RecordingIngestSink;
  rateLimiter: FixedRateLimiter;
  /** Warnings and errors the server logged, one parsed JSON line each. */
  logs: { level: number; msg: string }[];
  close(): Promise<void>;
}

export async function startIngestServer(
  options: { limits?: Partial<IngestLimits>; ignoreTrailingSlash?: boolean; projects?: ProjectKey[] } = {},
): Promise<IngestTestServer> {
  const logs: { level: number; msg: string }[] = [];
  const app = Fastify({
    logger: { level: 'warn', stream: { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string }) } },
    ...(options.ignoreTrailingSlash && { routerOptions: { ignoreTrailingSlash: true } }),
  });
  const sink = new RecordingIngestSink();
  const rateLimiter = new FixedRateLimiter();
  await app.register(sentryIngestRoutes, {
    sink,
    rateLimiter,
    projects: new MapProjectDirectory(options.projects ?? [PROJECT_1, PROJECT_2, PROJECT_DISABLED]),
    limits: { ...DEFAULT_INGEST_LIMITS, ...options.limits },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, sink, rateLimiter, logs, close: () => app.close() };
}

/** An envelope from a header and items given as [item header, payload]. */
export function envelopeBytes(header: object, items: [object, string | Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const [itemHeader, payload] of items) {
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    parts.push(Buffer.from(`${JSON.stringify({ ...itemHeader, length: bytes.length })}\n`), bytes, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
