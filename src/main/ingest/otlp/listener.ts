/**
 * The extra OTLP listener on the exporters' default port (4318), loopback only, serving just
 * `/v1/traces` and `/v1/logs`. Skipped (null) when another program holds the port.
 */
import Fastify from 'fastify';
import type { IngestDeps } from '../ingest-sink';
import { otlpKeylessRoutes } from './plugins';

export interface OtlpListener {
  port: number;
  close(): Promise<void>;
}

export async function startOtlpListener(deps: IngestDeps, port: number): Promise<OtlpListener | null> {
  const app = Fastify({
    logger: false,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });
  await app.register(otlpKeylessRoutes, deps);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ code: 5, message: `no route for ${request.method} ${request.url.split('?')[0]}; this port serves /v1/traces and /v1/logs` });
  });
  try {
    await app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return null;
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return { port: boundPort, close: () => app.close() };
}
