/**
 * Source maps from a loopback dev server (Vite-style `/@fs/` URLs with `?t=`, inline maps, ETag
 * revalidation), and bad input: a server that never answers, a map link to another host or to
 * /etc/passwd, a corrupt map, a map far over the cap. Each leaves the frames as sent with a
 * one-line problem, and the server keeps answering meanwhile.
 */
import { readFileSync, realpathSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/shared/api';
import type { SentryEvent } from '../../../src/shared/event';
import { randomHex, startHarness, tempDataDir, type Harness } from '../../support/core-harness';

let harness: Harness;
let root: string;
let server: Server;
let base: string;
let inlineScript: string;
const seen: { url: string; ifNoneMatch: string | undefined; status: number }[] = [];
const hanging: IncomingMessage[] = [];

function browserEvent(file: string, lineno: number, colno: number) {
  return {
    event_id: randomHex(),
    platform: 'javascript',
    timestamp: Date.now() / 1000,
    exception: { values: [{ type: 'RangeError', value: 'Unknown discount code', stacktrace: { frames: [{ filename: file, function: 'x', lineno, colno, in_app: true }] } }] },
  };
}

async function send(event: ReturnType<typeof browserEvent> | Record<string, unknown>): Promise<SentryEvent> {
  const response = await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }]);
  expect(response.status).toBe(200);
  return (await harness.api<EventDetail>(`/api/events/${String(event['event_id' as keyof typeof event])}`)).body.event;
}

/** Where `throw` is in a generated file: line and column (1-based), as a stack would report it. */
function throwPosition(code: string): { lineno: number; colno: number } {
  const lines = code.split('\n');
  const index = lines.findIndex((line) => line.includes('throw new RangeError'));
  return { lineno: index + 1, colno: (lines[index] ?? '').indexOf('throw') + 1 };
}

beforeAll(async () => {
  root = realpathSync(tempDataDir('stacktray-devserver-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/cart.ts'), readFileSync(join(__dirname, '../../fixtures/sourcemaps/app/src/cart.js'), 'utf8'));
  // What Vite serves for a module: the transformed file with its map inline.
  const built = await build({ entryPoints: [join(root, 'src/cart.ts')], outfile: join(root, 'src/cart.js'), write: false, sourcemap: 'inline', format: 'esm', logLevel: 'silent' });
  inlineScript = built.outputFiles[0]!.text;
  server = createServer((request, response) => {
    const url = request.url ?? '';
    if (url.startsWith('/hang')) {
      hanging.push(request);
      return;
    }
    const etag = '"v1"';
    const record = (status: number) => seen.push({ url, ifNoneMatch: request.headers['if-none-match'], status });
    if (url.startsWith(`/@fs${root}/src/cart.ts`)) {
      if (request.headers['if-none-match'] === etag) {
        record(304);
        return response.writeHead(304, { etag }).end();
      }
      record(200);
      return response.writeHead(200, { etag, 'content-type': 'text/javascript' }).end(inlineScript);
    }
    if (url.startsWith('/other-host.js')) return response.end('a();\n//# sourceMappingURL=http://example.com/app.js.map\n');
    if (url.startsWith('/corrupt.js')) return response.end('a();\n//# sourceMappingURL=corrupt.js.map\n');
    if (url.startsWith('/corrupt.js.map')) return response.end('{"version":3,"mappings":');
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness = await startHarness();
  await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [root] }) });
});

afterAll(async () => {
  for (const request of hanging) request.socket.destroy();
  await harness?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

describe('a Vite-style dev server', () => {
  it('resolves /@fs/ URLs with ?t= through the inline map, then revalidates with the ETag', async () => {
    const { lineno, colno } = throwPosition(inlineScript);
    const first = await send(browserEvent(`${base}/@fs${root}/src/cart.ts?t=1712345678`, lineno, colno));
    expect(first.exception?.values[0]?.stacktrace?.frames[0]).toMatchObject({
      filename: 'cart.ts',
      lineno: 7,
      context_line: '    throw new RangeError(`Unknown discount code ${code}`);',
      data: { resolved_with: 'dev-server' },
    });
    expect(first.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const second = await send(browserEvent(`${base}/@fs${root}/src/cart.ts?t=1712345678`, lineno, colno));
    expect(second.exception?.values[0]?.stacktrace?.frames[0]?.lineno).toBe(7);
    expect(seen.map((request) => [request.ifNoneMatch, request.status])).toEqual([
      [undefined, 200],
      ['"v1"', 304],
    ]);
  });
});

describe('bad input', () => {
  it('a dev server that never answers: the event is stored unresolved with a reason, while other events and the API go on', async () => {
    const waiting = send(browserEvent(`${base}/hang/app.js`, 1, 10));
    const started = Date.now();
    const info = await harness.api('/api/info');
    expect(info.status).toBe(200);
    const plain = await send({ event_id: randomHex(), platform: 'python', message: 'no maps needed', timestamp: Date.now() / 1000 });
    expect(plain.message).toBe('no maps needed');
    expect(Date.now() - started).toBeLessThan(1500);
    const event = await waiting;
    expect(event.exception?.values[0]?.raw_stacktrace).toBeUndefined();
    expect(event.errors).toEqual([{ type: 'fetch_timeout', message: `${base}/hang/app.js did not answer within 3000 ms`, url: `${base}/hang/app.js` }]);
  });

  it('a map linked to another host is not fetched', async () => {
    const event = await send(browserEvent(`${base}/other-host.js`, 1, 1));
    expect(event.errors).toEqual([
      { type: 'restricted_host', message: `${base}/other-host.js links its source map to http://example.com/app.js.map, another host: not fetched`, url: `${base}/other-host.js` },
    ]);
  });

  it('a script on another host is never fetched', async () => {
    const event = await send(browserEvent('https://cdn.example.com/app.min.js', 1, 1));
    expect(event.errors).toBeUndefined();
    expect(event.exception?.values[0]?.raw_stacktrace).toBeUndefined();
  });

  it('a corrupt map', async () => {
    const event = await send(browserEvent(`${base}/corrupt.js`, 1, 1));
    expect(event.errors?.[0]?.type).toBe('js_invalid_source');
    expect(event.errors?.[0]?.message).toMatch(new RegExp(`^${base}/corrupt.js.map is not a valid source map \\(`));
  });

  it('a sourceMappingURL of /etc/passwd, and a map far over the cap, on disk', async () => {
    writeFileSync(join(root, 'passwd.js'), 'a();\n//# sourceMappingURL=/etc/passwd\n');
    writeFileSync(join(root, 'huge.js'), 'a();\n//# sourceMappingURL=huge.js.map\n');
    writeFileSync(join(root, 'huge.js.map'), '');
    truncateSync(join(root, 'huge.js.map'), 200 * 1024 * 1024);
    const passwd = await send({ ...browserEvent(join(root, 'passwd.js'), 1, 1), platform: 'node' });
    expect(passwd.errors).toEqual([{ type: 'js_map_refused', message: `source map of ${join(root, 'passwd.js')}: /etc/passwd is outside the allowed source folders`, url: '/etc/passwd' }]);
    const huge = await send({ ...browserEvent(join(root, 'huge.js'), 1, 1), platform: 'node' });
    expect(huge.errors).toEqual([
      { type: 'js_map_too_large', message: `source map of ${join(root, 'huge.js')}: ${join(root, 'huge.js.map')} is 200 MB, over the 32 MB limit`, url: join(root, 'huge.js.map') },
    ]);
    expect(huge.exception?.values[0]?.stacktrace?.frames[0]?.filename).toBe(join(root, 'huge.js'));
  });
});
