// The machine's ceiling: a plain node:http server that reads the whole body and answers 200
// with a Sentry-shaped `{"id": …}` (the id taken from the envelope header, as the client checks it).
// Prints the same "listening on" line as the real server so the bench drives both alike.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const header = body.subarray(0, Math.max(0, body.indexOf(10))).toString('utf8');
    const id = /"event_id":"([0-9a-f]{32})"/.exec(header)?.[1] ?? '';
    response.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"${id}"}`);
  });
});
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`No-op server listening on http://127.0.0.1:${server.address().port}`);
  console.log('DSN for project "noop" (1): http://00000000000000000000000000000000@127.0.0.1/1');
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
