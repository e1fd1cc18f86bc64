/**
 * The main flow against a live headless server fed by the real @sentry/node SDK: the issue appears
 * live, opens with its exception, in-app frames with context lines and ordered breadcrumbs; resolve
 * moves it to Resolved; a newer release brings it back as a regression; export downloads the JSON.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ExportDocument, ServerInfo } from '../../src/shared/api';
import type { Settings } from '../../src/shared/settings';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { runNodeApp } from './helpers/node-app';
import { listIssues, waitFor } from './helpers/api';

let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openPage(browser, `${server.url}/`));
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (title: RegExp | string) => page.locator('li.row', { has: page.locator('a.title', { hasText: title }) });

describe('issue lifecycle in the UI', { timeout: 120_000 }, () => {
  it('waits for the first error on a fresh install, then shows the issue live', async () => {
    await page.getByText('Waiting for your first error…').waitFor();
    await expect(page.locator('code[aria-label="DSN"]').first().textContent()).resolves.toBe(server.dsn);

    await runNodeApp(server.dsn, 'checkout', '1.0.0');
    // No reload: the row arrives over the EventSource stream.
    const issueRow = row('TypeError');
    await issueRow.waitFor({ timeout: 10_000 });
    await expect(issueRow.locator('a.title').textContent()).resolves.toBe(
      "TypeError: Cannot read properties of undefined (reading 'items')",
    );
    await expect(issueRow.locator('.culprit').textContent()).resolves.toContain('computeTotal');
    await expect(issueRow.locator('.badge.new').count()).resolves.toBe(1);
    // The level is written out, not only shown as the bar's colour.
    await expect(issueRow.getByTestId('issue-level').textContent()).resolves.toBe('error');
    await expect(issueRow.locator('.num').first().textContent()).resolves.toBe('1');
  });

  it('opens the issue with the exception, in-app frames with context and breadcrumbs in order', async () => {
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/issues\/\d+$/);
    const exception = page.locator('[data-testid="exception"]').first();
    await exception.waitFor();
    await expect(exception.locator('.type').textContent()).resolves.toBe('TypeError');
    await expect(exception.locator('.value').textContent()).resolves.toBe(
      "Cannot read properties of undefined (reading 'items')",
    );
    // captureException in a catch block: a handled error with the SDK's generic mechanism.
    await expect(exception.locator('.heading .badge').allTextContents()).resolves.toEqual(['generic', 'handled']);

    // In-app only by default: every shown frame is in-app, newest (computeTotal) first.
    const frames = exception.locator('li.frame');
    const functions = await frames.locator('.fn').allTextContents();
    expect(functions.slice(0, 3)).toEqual(['computeTotal', 'checkout', 'checkout']);
    await expect(frames.evaluateAll((els) => els.every((el) => el.getAttribute('data-in-app') === 'true'))).resolves.toBe(true);
    await expect(frames.first().locator('.file').textContent()).resolves.toMatch(/checkout\.cjs$/);

    // The crash frame is open with its source; the failing line is marked.
    const current = frames.first().locator('li[aria-current="true"] code');
    await expect(current.textContent()).resolves.toBe(
      '  return order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);',
    );
    const sourceLines = await frames.first().locator('.source li').count();
    expect(sourceLines).toBeGreaterThan(3);

    // Full stack adds the library frames.
    const inAppCount = await frames.count();
    await page.getByRole('button', { name: 'Full stack' }).click();
    expect(await exception.locator('li.frame').count()).toBeGreaterThan(inAppCount);
    await expect(exception.locator('li.frame[data-in-app="false"]').count()).resolves.toBeGreaterThan(0);

    const crumbs = page.locator('[data-section="breadcrumbs"] [data-testid="breadcrumb"]');
    const messages = await crumbs.locator('.message').allTextContents();
    expect(messages).toEqual([
      'cart loaded with 3 items',
      'checkout: user clicked pay',
      'card authorised',
      'checkout: computing total',
      "TypeError: Cannot read properties of undefined (reading 'items')",
    ]);
    await expect(crumbs.last().locator('.category').textContent()).resolves.toBe('exception');
    await expect(crumbs.nth(1).locator('[role="img"]').getAttribute('aria-label')).resolves.toBe('console');
  });

  it('explains the grouping with its components', async () => {
    const grouping = page.locator('[data-section="grouping"]');
    await grouping.getByRole('button', { name: 'Show details' }).click();
    await expect(grouping.locator('[data-testid="grouping-variant"]').count()).resolves.toBeGreaterThan(0);
    const components = await grouping.locator('[data-testid="grouping-component"] > .id').allTextContents();
    expect(components).toContain('stacktrace');
    expect(components).toContain('frame');
    // The contributing in-app frame is shown with its values, and why line numbers do not count.
    const panel = (await grouping.textContent()) ?? '';
    expect(panel).toContain('"computeTotal"');
    expect(panel).toContain('line numbers are never used');
  });

  it('resolve moves the issue to Resolved', async () => {
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect(page.locator('[data-testid="issue-status"]').filter({ hasText: 'resolved' }).waitFor()).resolves.toBeUndefined();
    // Esc goes back to the list (browser history: the list was where we came from).
    await page.keyboard.press('Escape');
    await page.getByRole('tablist', { name: 'Issue status' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^(#\/)?$/);
    await page.getByRole('tab', { name: 'Unresolved', exact: true }).click();
    await page.getByText('No unresolved issues.').waitFor();
    await page.getByRole('tab', { name: 'Resolved', exact: true }).click();
    await row('TypeError').waitFor();
    const issues = await listIssues(server.url, 'status=resolved');
    expect(issues.issues.map((i) => i.status)).toEqual(['resolved']);
  });

  it('a new event in a newer release brings it back as a regression, live', async () => {
    await page.getByRole('tab', { name: 'Unresolved', exact: true }).click();
    await page.getByText('No unresolved issues.').waitFor();
    await runNodeApp(server.dsn, 'checkout', '1.1.0');
    const issueRow = row('TypeError');
    await issueRow.waitFor({ timeout: 10_000 });
    await expect(issueRow.locator('.badge.regression').textContent()).resolves.toBe('Regression');
    await expect(issueRow.locator('.num').first().textContent()).resolves.toBe('2');
    await expect(issueRow.locator('.meta .badge.mono').textContent()).resolves.toBe('1.1.0');
  });

  it('exports the issue as JSON holding the issue and its events', async () => {
    await row('TypeError').locator('a.title').click();
    await page.locator('[data-testid="exception"]').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^stacktray-issue-\d+\.json$/);
    const document = JSON.parse(readFileSync((await download.path())!, 'utf8')) as ExportDocument;
    expect(document.issues).toHaveLength(1);
    const [issue] = document.issues;
    expect(issue?.title).toBe("TypeError: Cannot read properties of undefined (reading 'items')");
    expect(issue?.count).toBe(2);
    expect(issue?.events.map((e) => e.release).sort()).toEqual(['1.0.0', '1.1.0']);
  });

  it('navigates between events of the issue', async () => {
    await expect(page.locator('.event-nav .badge.mono').textContent()).resolves.toBe('1.1.0');
    await page.getByRole('button', { name: '‹ Older' }).click();
    await page.waitForURL(/#\/issues\/\d+\/events\/[0-9a-f]+$/);
    await page.locator('.event-nav .badge.mono', { hasText: '1.0.0' }).waitFor();
    await expect(page.getByRole('button', { name: '‹ Older' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: '« Oldest' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Latest »' }).click();
    await page.locator('.event-nav .badge.mono', { hasText: '1.1.0' }).waitFor();
    await expect(page.getByRole('button', { name: 'Latest »' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: '« Oldest' }).isDisabled()).resolves.toBe(false);
  });

  it('a link to an event that is gone says so and offers the latest event', async () => {
    const issueId = Number(/#\/issues\/(\d+)/.exec(page.url())![1]);
    const gone = 'd'.repeat(32);
    const errorsBefore = pageErrors.length;
    await page.goto(`${server.url}/#/issues/${issueId}/events/${gone}`);
    const alert = page.getByRole('alert');
    await expect(alert.locator('.big').textContent()).resolves.toBe(`No event ${gone} here: it may have been removed by retention.`);
    await alert.getByRole('link', { name: 'Show the latest event' }).click();
    await page.waitForURL(new RegExp(`#/issues/${issueId}$`));
    await page.locator('.event-nav .badge.mono', { hasText: '1.1.0' }).waitFor();
    // The browser logs the API's 404 for the gone event; that one is expected, nothing else.
    expect(pageErrors.splice(errorsBefore)).toEqual(['console: Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });

  it('Settings shows the API token other machines need, hidden until asked', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as ServerInfo;
    await page.goto(`${server.url}/#/settings`);
    const access = page.getByTestId('network-access');
    await access.waitFor();
    await expect(access.textContent()).resolves.toContain('Only this machine can reach Stacktray (127.0.0.1)');
    const token = access.getByLabel('API token');
    await expect(token.textContent()).resolves.toBe('•'.repeat(16));
    await access.getByRole('button', { name: 'Show' }).click();
    await expect(token.textContent()).resolves.toBe(info.apiToken);
  });

  it('Settings keeps the limits and folders being typed when settings change elsewhere', async () => {
    await page.goto(`${server.url}/#/settings`);
    const perIssue = page.getByLabel('Events kept per issue');
    await perIssue.fill('250');
    await page.getByLabel(/My home folder/).uncheck();
    const folders = page.getByLabel(/Allowed folders/);
    await folders.fill('/tmp/kept-by-the-form');
    // Another window changes the theme and the maximum age: the stream brings the settings back here.
    const patched = await fetch(`${server.url}/api/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ theme: 'dark', retention: { maxAgeDays: 30 } }),
    });
    expect(patched.status).toBe(200);
    // The untouched field follows the change; the edited ones keep the edits.
    await expect.poll(() => page.getByLabel('Maximum age (days)').inputValue()).toBe('30');
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await expect(perIssue.inputValue()).resolves.toBe('250');
    await expect(folders.inputValue()).resolves.toBe('/tmp/kept-by-the-form');

    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Limits saved.').waitFor();
    const saved = (await (await fetch(`${server.url}/api/settings`)).json()) as Settings;
    expect(saved.retention).toMatchObject({ maxEventsPerIssue: 250, maxAgeDays: 30 });
    expect(saved.theme).toBe('dark');
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
