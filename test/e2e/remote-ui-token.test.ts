/**
 * The UI from another machine: a server started beyond loopback (token mode) serves its page without
 * the token, the page asks for the printed token, refuses a wrong one, keeps the right one across a
 * reload, and asks again once the token stops working (a restart on another data folder).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ExportDocument, IssueList } from '../../src/shared/api';
import { tempDataDir } from '../support/core-harness';
import { startTokenModeCli, type TokenModeServer } from '../support/token-mode-cli';
import { launchBrowser, openPage } from './helpers/browser';
import { runNodeApp } from './helpers/node-app';
import { waitFor } from './helpers/api';

const ISSUE_TITLE = "TypeError: Cannot read properties of undefined (reading 'items')";
const TOKEN_KEY = 'stacktray.apiToken';

let server: TokenModeServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];

async function issuesWithToken(target: TokenModeServer): Promise<IssueList> {
  const response = await fetch(`${target.url}/api/issues?status=all`, { headers: { authorization: `Bearer ${target.token}` } });
  if (!response.ok) throw new Error(`GET /api/issues answered ${response.status}`);
  return (await response.json()) as IssueList;
}

const tokenScreen = () => page.getByRole('heading', { name: 'API token needed' });
const tokenInput = () => page.getByLabel('API token', { exact: true });
const issueTitle = () => page.locator('li.row a.title', { hasText: ISSUE_TITLE });
/** What the page keeps in localStorage for the server's origin. */
async function savedToken(): Promise<string | null> {
  const { origins } = await page.context().storageState();
  const stored = origins.find((entry) => entry.origin === server.url)?.localStorage ?? [];
  return stored.find((item) => item.name === TOKEN_KEY)?.value ?? null;
}
/** Chromium logs every refused request (fetch and EventSource) as a console error: those are expected. */
const unexpectedErrors = (errors: string[]) => errors.filter((error) => !/\b401 \(Unauthorized\)/.test(error));

beforeAll(async () => {
  server = await startTokenModeCli(tempDataDir('stacktray-e2e-token-'));
  // A real @sentry/node app reports first; ingest needs only the DSN.
  await runNodeApp(server.dsn, 'checkout', '1.0.0');
  await waitFor('the issue to be stored', async () => (await issuesWithToken(server)).issues.length === 1);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openPage(browser, `${server.url}/`));
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the UI of a Stacktray listening beyond loopback', { timeout: 120_000 }, () => {
  it('loads without the token and asks for it', async () => {
    await tokenScreen().waitFor();
    await expect(page.locator('.token-prompt > p').first().textContent()).resolves.toMatch(
      /^\s*This Stacktray listens on the network and needs its API token — it was printed where Stacktray was\s+started\.\s*$/,
    );
    // Nothing of the app behind it: no list, no top bar.
    await expect(page.locator('main#content').count()).resolves.toBe(0);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  it('refuses a wrong token with a message and stays on the screen', async () => {
    await tokenInput().fill('not-the-token');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That token was not accepted.');
    await expect(tokenScreen().isVisible()).resolves.toBe(true);
    await expect(savedToken()).resolves.toBeNull();
  });

  it('takes the printed token and shows the issue list with the ingested issue', async () => {
    await tokenInput().fill(server.token);
    await page.getByRole('button', { name: 'Continue' }).click();
    await issueTitle().waitFor();
    await expect(page.locator('li.row').count()).resolves.toBe(1);
    await expect(tokenScreen().count()).resolves.toBe(0);
    await expect(savedToken()).resolves.toBe(server.token);
    // The live stream is connected too (it carries the token in its URL).
    await page.locator('.stream.live').waitFor();
  });

  it('downloads the issue export through a link that carries the token', async () => {
    await issueTitle().click();
    await page.waitForURL(/#\/issues\/\d+$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export JSON' }).click(),
    ]);
    expect(download.url()).toContain(`token=${server.token}`);
    const document = JSON.parse(readFileSync((await download.path())!, 'utf8')) as ExportDocument;
    expect(document.issues.map((issue) => issue.title)).toEqual([ISSUE_TITLE]);
  });

  it('keeps the token across a reload', async () => {
    await page.goto(`${server.url}/`);
    await issueTitle().waitFor();
    await expect(tokenScreen().count()).resolves.toBe(0);
  });

  it('logged no page errors beyond the expected 401 answers', () => {
    expect(unexpectedErrors(pageErrors)).toEqual([]);
  });

  it('asks again when the saved token stops working (restarted on another data folder)', async () => {
    const errorsBefore = pageErrors.length;
    const { port, token: oldToken } = server;
    await server.stop();
    // The same address, so the page keeps its origin and its saved token.
    server = await startTokenModeCli(tempDataDir('stacktray-e2e-token-'), port);
    expect(server.token).not.toBe(oldToken);

    // The live stream reconnects on its own, meets the 401 and brings the screen back.
    await tokenScreen().waitFor({ timeout: 30_000 });
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/The saved token is no longer accepted/);
    await expect(savedToken()).resolves.toBeNull();

    await tokenInput().fill(server.token);
    await page.getByRole('button', { name: 'Continue' }).click();
    // The new data folder has no events yet.
    await page.getByText('Waiting for your first error…').waitFor();
    await expect(savedToken()).resolves.toBe(server.token);
    // Stopping the server cuts the open stream, and its retries may meet a closed port.
    const cutStream = /ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED/;
    expect(unexpectedErrors(pageErrors.slice(errorsBefore)).filter((error) => !cutStream.test(error))).toEqual([]);
  });
});
