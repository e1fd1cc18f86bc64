/**
 * The UI's files (server/static-ui.ts) on a real core: the file server is loaded by the first UI
 * request, not by ingest; what it serves is exactly the renderer folder's files, with the UI's
 * security headers, conditional requests and ranges; and a rebuilt folder is served without a restart.
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import { errorEvent, startHarness, tempDataDir, waitFor, type Harness } from '../support/core-harness';
import { rawRequest } from '../support/raw-http';

const INDEX_HTML = '<!doctype html><script type="module" src="/assets/index-1.js"></script><div id="app"></div>\n';
const APP_JS = 'document.getElementById("app").textContent = "ui";\n';

const sendLoaded = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/@fastify/send/'));

describe('the static UI', () => {
  let harness: Harness;
  let renderer: string;
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    rawRequest(harness.core.url, method, path, { host: `127.0.0.1:${harness.core.port}`, ...headers });

  beforeAll(async () => {
    renderer = mkdtempSync(join(tmpdir(), 'stacktray-renderer-'));
    mkdirSync(join(renderer, 'assets'));
    mkdirSync(join(renderer, '.git'));
    writeFileSync(join(renderer, 'index.html'), INDEX_HTML);
    writeFileSync(join(renderer, 'assets/index-1.js'), APP_JS);
    writeFileSync(join(renderer, '.env'), 'SECRET=1\n');
    writeFileSync(join(renderer, '.git/config'), '[core]\n');
    harness = await startHarness(tempDataDir(), { rendererDir: renderer });
  });
  afterAll(() => harness?.stop());

  it('is not loaded by ingest, and is by the first UI request', async () => {
    const sent = await harness.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ fn: 'lazyUi' }) }]);
    expect(sent.status).toBe(200);
    expect(sendLoaded()).toBe(false);

    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(sendLoaded()).toBe(true);
  });

  it('serves the folder files, answers conditional and range requests, and HEAD without a body', async () => {
    const script = await get('/assets/index-1.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(script.body).toBe(APP_JS);
    const etag = script.headers.etag ?? '';
    expect(etag).not.toBe('');

    expect((await get('/assets/index-1.js', { 'if-none-match': etag })).status).toBe(304);
    const range = await get('/assets/index-1.js', { range: 'bytes=0-7' });
    expect(range.status).toBe(206);
    expect(range.body).toBe(APP_JS.slice(0, 8));
    expect((await get('/assets/index-1.js', { range: 'bytes=9999-10000' })).status).toBe(416);

    const head = await get('/index.html', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX_HTML)));
  });

  it('serves nothing but the folder files: no dotfiles, folders, or paths out of it', async () => {
    for (const path of ['/.env', '/.git/config', '/assets', '/assets/', '/assets/nope.js', '/assets/%2e%2e/index.html', '/assets/..%2findex.html', '/%2e%2e/package.json', '/index.html/']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body), path).toEqual({ detail: expect.stringMatching(/^no route for GET /) });
    }
  });

  it('serves the files of a rebuilt UI without a restart', async () => {
    writeFileSync(join(renderer, 'assets/index-2.js'), 'rebuilt();\n');
    const rebuilt = await waitFor(async () => {
      const answer = await get('/assets/index-2.js');
      return answer.status === 200 ? answer : undefined;
    }, 5_000);
    expect(rebuilt.body).toBe('rebuilt();\n');
  });
});
