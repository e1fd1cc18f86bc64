/**
 * When the live stream drops (the server restarted, the laptop slept), whatever happened in the
 * meantime was never streamed: on reconnecting, the UI reloads what it shows. Here the stream is
 * held down by the browser while an issue arrives, then let through.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildEnvelope, errorEvent } from '../support/core-harness';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page } = await openPage(browser, `${server.url}/`));
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function ingest(type: string): Promise<void> {
  const dsn = new URL(server.dsn);
  const response = await fetch(`${server.url}/api${dsn.pathname}/envelope/?sentry_key=${dsn.username}`, {
    method: 'POST',
    body: buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ type, value: 'during the gap' }) }]),
  });
  expect(response.status).toBe(200);
}

const row = (title: string) => page.locator('li.row', { has: page.locator('a.title', { hasText: title }) });

it('an issue that arrives while the stream is down shows once it reconnects', { timeout: 60_000 }, async () => {
  await ingest('BeforeGap');
  await row('BeforeGap').waitFor();

  // Cut the stream and keep it down: the server restarts on the same port and data, and the
  // browser's reconnection attempts fail until the route is lifted.
  await page.route('**/api/stream*', (route) => route.abort());
  const port = Number(new URL(server.url).port);
  await server.stop({ keepData: true });
  server = await startServer(server.dataDir, port);
  // The top bar says the stream is down.
  await page.locator('span.stream.live').waitFor({ state: 'detached' });
  await ingest('DuringGap');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await row('DuringGap').count()).toBe(0);

  await page.unroute('**/api/stream*');
  await row('DuringGap').waitFor({ timeout: 20_000 });
  await expect(row('BeforeGap').count()).resolves.toBe(1);
});

it('an issue that arrives after the list loaded but before the stream first opened shows', { timeout: 60_000 }, async () => {
  // The stream's first connection is held until the list is on screen and a new issue has come in:
  // that issue was streamed to no one, so the first open must reload the list.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const context = await browser.newContext();
  const early = await context.newPage();
  early.setDefaultTimeout(15_000);
  await early.route('**/api/stream*', async (route) => {
    await held;
    await route.continue();
  });
  await early.goto(`${server.url}/`);
  const earlyRow = (title: string) => early.locator('li.row', { has: early.locator('a.title', { hasText: title }) });
  await earlyRow('BeforeGap').waitFor();
  await ingest('BeforeFirstOpen');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await earlyRow('BeforeFirstOpen').count()).toBe(0);

  release();
  await earlyRow('BeforeFirstOpen').waitFor();
  await context.close();
});
