/**
 * The Projects page as another machine sees it: loaded by this machine's network name, its DSNs
 * name that address (a 127.0.0.1 DSN copied there would point the app at its own machine), and
 * the project settings form shows why fingerprint rules were refused.
 *
 * Chromium maps the name `stacktray-lan.test` to 127.0.0.2, where a token-mode server listens:
 * the page is loaded by a non-loopback name without opening a port to the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDataDir } from '../support/core-harness';
import { startTokenModeCli, TOKEN_MODE_HOST, type TokenModeServer } from '../support/token-mode-cli';
import { launchBrowser, openPage } from './helpers/browser';

const LAN_NAME = 'stacktray-lan.test';

let server: TokenModeServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  server = await startTokenModeCli(tempDataDir('stacktray-e2e-lan-'));
  browser = await launchBrowser([`--host-resolver-rules=MAP ${LAN_NAME} ${TOKEN_MODE_HOST}`]);
  ({ page, errors: pageErrors } = await openPage(browser, `http://${LAN_NAME}:${server.port}/`));
  page.setDefaultTimeout(10_000);
  // The token as the user would paste it once; then the Projects page.
  await page.evaluate(`localStorage.setItem('stacktray.apiToken', ${JSON.stringify(server.token)})`);
  await page.goto(`http://${LAN_NAME}:${server.port}/#/projects`);
  await page.reload();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Projects page loaded from another machine', { timeout: 60_000 }, () => {
  it('shows DSNs with the address the page was loaded from', async () => {
    const key = new URL(server.dsn).username;
    expect(server.dsn).toBe(`http://${key}@${TOKEN_MODE_HOST}:${server.port}/1`);
    await expect(page.getByLabel('DSN', { exact: true }).first().textContent()).resolves.toBe(`http://${key}@${LAN_NAME}:${server.port}/1`);
  });

  it('shows why fingerprint rules were refused, naming each line, next to the rules', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).first().click();
    const rules = page.locator('textarea');
    await rules.fill('error.type:Fine -> fine\ngarbage rule\nnosuchfield:x -> y');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await expect(refusal.textContent()).resolves.toBe(
      'Not saved: fingerprint rules: line 2: expected "matchers -> fingerprint"; line 3: unknown matcher "nosuchfield"',
    );
    await expect(rules.getAttribute('aria-invalid')).resolves.toBe('true');

    await rules.fill('error.type:Fine -> fine');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await refusal.waitFor({ state: 'detached' });
    await expect(rules.getAttribute('aria-invalid')).resolves.toBe('false');
    // Chromium logs each refused request: the first load's 401 (before the token) and the save's 400.
    expect(pageErrors.filter((error) => !/\b(400 \(Bad Request\)|401 \(Unauthorized\))/.test(error))).toEqual([]);
  });
});
