// The machine's ceiling: a plain node:http server that reads the whole body and answers 200
// with a Sentry-shaped `{"id": …}` (the id taken from the envelope header, as the client checks it).
// With `--fastify` the same answer comes through a bare Fastify route (body read as a Buffer, no
// hooks, no schema): the framework's own share of each request, which Stacktray pays too.
// Prints the same "listening on" line as the real server so the bench drives both alike.
import { createServer } from 'node:http';
import Fastify from 'fastify';

function envelopeId(body) {
  const header = body.subarray(0, Math.max(0, body.indexOf(10))).toString('utf8');
  return /"event_id":"([0-9a-f]{32})"/.exec(header)?.[1] ?? '';
}

function announce(port) {
  console.log(`No-op server listening on http://127.0.0.1:${port}`);
  console.log('DSN for project "noop" (1): http://00000000000000000000000000000000@127.0.0.1/1');
}

if (process.argv.includes('--fastify')) {
  const app = Fastify({ logger: false, keepAliveTimeout: 10_000, bodyLimit: 2 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/api/:projectId/envelope/', async (request) => ({ id: envelopeId(request.body) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  announce(app.server.address().port);
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
} else {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = `{"id":"${envelopeId(Buffer.concat(chunks))}"}`;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => announce(server.address().port));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
