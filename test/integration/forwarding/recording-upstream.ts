/** A stand-in upstream on 127.0.0.1:0 that records each request and answers as the test says. */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Date.now() when the request had been read. */
  at: number;
}

export interface UpstreamReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface RecordingUpstream {
  port: number;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export async function startRecordingUpstream(
  answer: (index: number, request: RecordedRequest) => UpstreamReply | Promise<UpstreamReply>,
): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = { path: request.url ?? '', headers: flat(request.headers), body: Buffer.concat(chunks), at: Date.now() };
      const index = requests.length;
      requests.push(recorded);
      void Promise.resolve(answer(index, recorded)).then((reply) => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(reply.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    requests,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function flat(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
