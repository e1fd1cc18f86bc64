/**
 * Serves the @sentry/browser fixture page from 127.0.0.1 on its own port (cross-origin to Stacktray,
 * as a real dev server would be). The SDK is bundled from node_modules into a classic script first:
 * @sentry/browser 11 ships no prebuilt CDN bundle in its npm package.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import { REPO_ROOT } from './server';

const FIXTURE = join(REPO_ROOT, 'test/e2e/fixtures/browser-app');

export async function bundleSentryBrowser(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'stacktray-sentry-bundle-'));
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      root: REPO_ROOT,
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: { entry: join(FIXTURE, 'sentry-entry.ts'), formats: ['iife'], name: 'Sentry', fileName: () => 'sentry.js' },
      },
    });
    return readFileSync(join(outDir, 'sentry.js'), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export interface BrowserApp {
  url: string;
  stop(): Promise<void>;
}

export async function startBrowserApp(dsn: string): Promise<BrowserApp> {
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html', body: readFileSync(join(FIXTURE, 'index.html'), 'utf8') },
    '/static/sentry.js': { type: 'text/javascript', body: await bundleSentryBrowser() },
    '/static/config.js': { type: 'text/javascript', body: `window.STACKTRAY_E2E = ${JSON.stringify({ dsn })};` },
    '/static/shop.js': { type: 'text/javascript', body: readFileSync(join(FIXTURE, 'shop.js'), 'utf8') },
  };
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/api/cart') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":1}');
      return;
    }
    const file = files[path];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8` }).end(file.body);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}
