/**
 * A real @sentry/browser page in Chromium loading an esbuild-minified bundle (with a linked map)
 * from a local server: the issue page shows the original function and source lines, marks the
 * frames resolved with a source map, and toggles to the minified frames. The screenshot goes to
 * docs/screenshots/ when UPDATE_SCREENSHOTS=1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureApp } from '../fixtures/sourcemaps/build-app.mjs';
import { launchBrowser, openPage } from './helpers/browser';
import { bundleSentryBrowser } from './helpers/browser-app';
import { listIssues, waitFor } from './helpers/api';
import { REPO_ROOT, startServer, type RunningServer } from './helpers/server';

const updating = process.env.UPDATE_SCREENSHOTS === '1';

let server: RunningServer;
let browser: Browser;
let pageServer: Server;
let pageUrl: string;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'stacktray-e2e-maps-'));
  const app = await buildFixtureApp(join(workDir, 'app'), { platform: 'browser' });
  server = await startServer();
  const files: Record<string, { type: string; body: string }> = {
    '/': {
      type: 'text/html',
      body: `<!doctype html><html><head><title>Checkout</title>
<script src="/static/sentry.js"></script>
<script>Sentry.init({ dsn: ${JSON.stringify(server.dsn)}, release: 'checkout@1.0.0' });</script>
<script src="/assets/app.min.js"></script>
</head><body><button id="pay" onclick="runCheckout()">Pay</button></body></html>`,
    },
    '/static/sentry.js': { type: 'text/javascript', body: await bundleSentryBrowser() },
    '/assets/app.min.js': { type: 'text/javascript', body: readFileSync(app.bundle, 'utf8') },
    '/assets/app.min.js.map': { type: 'application/json', body: readFileSync(app.map, 'utf8') },
  };
  pageServer = createServer((request, response) => {
    const file = files[(request.url ?? '/').split('?')[0] ?? '/'];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8` }).end(file.body);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('a minified bundle in a real browser', { timeout: 120_000 }, () => {
  it('shows the original function and source lines, and the minified frames on request', async () => {
    const { page: shop, context } = await openPage(browser, pageUrl);
    await shop.click('#pay');
    await waitFor('the browser error to be stored', async () => (await listIssues(server.url)).issues.length === 1);
    await context.close();
    const issue = (await listIssues(server.url)).issues[0]!;
    expect(issue.culprit).toContain('applyDiscount');

    const { page: ui, errors } = await openPage(browser, `${server.url}/#/issues/${issue.id}`, { height: 1000 });
    ui.setDefaultTimeout(10_000);
    const exception = ui.locator('[data-testid="exception"]').first();
    await exception.waitFor();
    const crash = exception.locator('li.frame').first();
    await expect(crash.locator('.fn').textContent()).resolves.toBe('applyDiscount');
    await expect(crash.locator('.file').textContent()).resolves.toBe('src/cart.js');
    await expect(crash.locator('.pos').textContent()).resolves.toMatch(/^:7:\d+$/);
    await expect(crash.locator('[data-testid="frame-mapped"]').count()).resolves.toBe(1);
    await expect(crash.locator('li[aria-current="true"] code').textContent()).resolves.toBe('    throw new RangeError(`Unknown discount code ${code}`);');
    const functions = await exception.locator('li.frame .fn').allTextContents();
    expect(functions.slice(0, 3)).toEqual(['applyDiscount', 'checkout', 'run']);

    if (updating) {
      await ui.evaluate('document.fonts.ready.then(() => true)');
      await ui.screenshot({ path: join(REPO_ROOT, 'docs/screenshots/issue-source-maps-light.png') });
    }

    await ui.locator('[data-testid="toggle-minified"]').click();
    await expect(crash.locator('.file').textContent()).resolves.toBe(`${pageUrl}assets/app.min.js`);
    await expect(crash.locator('.pos').textContent()).resolves.toMatch(/^:1:\d+$/);
    expect(errors).toEqual([]);
  });
});
