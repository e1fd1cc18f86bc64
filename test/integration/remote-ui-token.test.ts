/**
 * Beyond loopback the UI's static files load without the API token (another machine's browser
 * must get the page that asks for it), while everything under /api/ except ingest still needs it.
 * On loopback nothing changes: a foreign Host is refused (DNS rebinding), as is a foreign Origin.
 *
 * 127.0.0.2 is a loopback address to the kernel but not one of the guard's loopback names, so the
 * core runs in token mode without opening a port to the network; the tests only talk to it locally.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList } from '../../src/shared/api';
import { errorEvent, randomHex, startHarness, tempDataDir, type Harness } from '../support/core-harness';
import { rawRequest } from '../support/raw-http';

const TOKEN_DETAIL = { detail: 'this Stacktray requires its API token (Authorization: Bearer <token>)' };
const INDEX_HTML = '<!doctype html><script type="module" src="/assets/index-test.js"></script><div id="app"></div>\n';
const APP_JS = 'document.getElementById("app").textContent = "ui";\n';

/** A renderer folder shaped like out/renderer, so these tests do not depend on a build. */
function rendererFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacktray-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'assets/index-test.js'), APP_JS);
  return dir;
}

describe('listening beyond loopback (token mode)', () => {
  let harness: Harness;
  let token: string;
  const eventId = randomHex();
  /** As another machine names this one: the Host check is for loopback mode only. */
  const foreignHost = { host: '192.0.2.10:8969' };
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    rawRequest(harness.core.url, method, path, { ...foreignHost, ...headers });

  beforeAll(async () => {
    harness = await startHarness(tempDataDir(), { host: '127.0.0.2', rendererDir: rendererFolder() });
    token = harness.core.apiToken ?? '';
    const sent = await harness.sendEnvelope([
      { header: { type: 'event' }, payload: errorEvent({ eventId, fn: 'remoteCheckout' }) },
      { header: { type: 'attachment', filename: 'cart.txt', content_type: 'text/plain' }, payload: 'three items' },
    ]);
    expect(sent.status).toBe(200);
  });
  afterAll(() => harness?.stop());

  it('runs in token mode on a non-loopback host name', () => {
    expect(harness.core.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('serves the UI page and its assets without the token, to any Host', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toBe(INDEX_HTML);

    const script = await get('/assets/index-test.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toBe(APP_JS);

    expect((await get('/index.html')).status).toBe(200);
    expect((await get('/', {}, 'HEAD')).status).toBe(200);
    expect((await get('/assets/nope.js')).status).toBe(404);
  });

  it('answers 401 with a Bearer challenge on /api/ without the token', async () => {
    const refused = await get('/api/issues');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="Stacktray"');
    expect(JSON.parse(refused.body)).toEqual(TOKEN_DETAIL);

    expect((await get('/api/issues', { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await get('/api/issues?token=not-the-token')).status).toBe(401);
    // The static wildcard matches any GET path: an API path must not become public through it.
    for (const path of ['/api/no-such-route', '/api/stream', '/api/export', '/api/settings', '/api']) {
      expect((await get(path)).status, path).toBe(401);
    }
    // Only reading the UI is public: other methods on its paths still need the token.
    expect((await get('/', {}, 'POST')).status).toBe(401);
    expect((await get('/api/projects/1', {}, 'DELETE')).status).toBe(401);
  });

  it('answers 200 on /api/ with the token as a Bearer header or as ?token=', async () => {
    const byHeader = await get('/api/issues?status=all', { authorization: `Bearer ${token}` });
    expect(byHeader.status).toBe(200);
    const list = JSON.parse(byHeader.body) as IssueList;
    expect(list.issues.map((issue) => issue.culprit)).toEqual([expect.stringContaining('remoteCheckout')]);

    const byQuery = await get(`/api/issues?status=all&token=${token}`);
    expect(byQuery.status).toBe(200);
    expect((JSON.parse(byQuery.body) as IssueList).issues).toHaveLength(1);

    // Links the UI opens itself (exports, attachments) carry the token in the query; the route's
    // strict query schema never sees it.
    const exported = await get(`/api/export?status=all&token=${token}`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment/);

    const event = JSON.parse((await get(`/api/events/${eventId}`, { authorization: `Bearer ${token}` })).body) as EventDetail;
    const attachmentPath = `/api/events/${eventId}/attachments/${event.attachments[0]?.id}`;
    expect((await get(attachmentPath)).status).toBe(401);
    const attachment = await get(`${attachmentPath}?token=${token}`);
    expect(attachment.status).toBe(200);
    expect(attachment.body).toBe('three items');
  });
});

describe('on loopback (the default)', () => {
  let harness: Harness;
  const local = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    rawRequest(harness.core.url, method, path, { host: `127.0.0.1:${harness.core.port}`, ...headers });

  beforeAll(async () => {
    harness = await startHarness(tempDataDir(), { rendererDir: rendererFolder() });
  });
  afterAll(() => harness?.stop());

  it('needs no token and serves the UI and the API to loopback names', async () => {
    expect(harness.core.apiToken).toBeNull();
    expect((await local('/')).status).toBe(200);
    expect((await local('/assets/index-test.js')).status).toBe(200);
    expect((await local('/api/issues')).status).toBe(200);
    expect((await local('/api/issues', { host: `localhost:${harness.core.port}` })).status).toBe(200);
  });

  it('still refuses a foreign Host, for the UI as for the API', async () => {
    for (const path of ['/', '/assets/index-test.js', '/api/issues']) {
      const answer = await local(path, { host: `192.0.2.10:${harness.core.port}` });
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ detail: 'Stacktray answers only to loopback host names (127.0.0.1, localhost)' });
    }
  });

  it('still refuses changes from a foreign Origin', async () => {
    const response = await fetch(`${harness.core.url}/api/projects`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'csrf' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: "requests from http://evil.example may not change Stacktray's data" });
  });

  it('ignores a token left over from a token-mode run on the same origin', async () => {
    // The page keeps its token per origin: a later loopback run must not fail the links that carry it.
    const exported = await local('/api/export?status=all&token=left-over');
    expect(exported.status, exported.body).toBe(200);
    expect((await local('/api/issues', { authorization: 'Bearer left-over' })).status).toBe(200);
  });
});
