/**
 * UI polish, as a person meets it: the issue list's filters live in the URL (deep links, Back,
 * Esc), setup snippet tabs follow the arrow keys, a new project comes into view, device sizes read
 * in GiB and an http breadcrumb reads "POST /api/cart [200]". Events go in through the real
 * legacy store endpoint.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Issue } from '../../src/shared/issue';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { listIssues, waitFor, sendStoreEvent } from './helpers/api';

let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];
const issues = new Map<string, Issue>();

const MEMORY_SIZE = 25276063744;

async function sendError(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await sendStoreEvent(server.dsn, {
    event_id: randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    exception: {
      values: [
        {
          type: `${name}Error`,
          value: `${name} failed`,
          stacktrace: { frames: [{ filename: `/app/${name.toLowerCase()}.js`, function: `run${name}`, lineno: 10, in_app: true }] },
        },
      ],
    },
    ...extra,
  });
}

const hash = () => new URL(page.url()).hash;
const search = () => page.getByRole('searchbox', { name: 'Search issues' });
const tab = (name: string) => page.getByRole('tab', { name, exact: true });
const titles = async () => (await page.locator('li.row a.title').allTextContents()).sort();
const openIssue = (name: string) => page.locator('li.row a.title', { hasText: `${name}Error` }).click();

/** The list shows exactly these issues (by short name), with the search and tab given. */
async function expectList(names: string[], query: string, status: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Issue status' }).waitFor();
  await waitFor(`rows ${names.join(', ')}`, async () => JSON.stringify(await titles()) === JSON.stringify(names.map((n) => `${n}Error: ${n} failed`).sort()));
  await expect(search().inputValue()).resolves.toBe(query);
  await expect(tab(status).getAttribute('aria-selected')).resolves.toBe('true');
}

beforeAll(async () => {
  server = await startServer();
  await sendError('Alpha');
  await sendError('Beta');
  await sendError('Gamma', { level: 'warning' });
  await sendError('Cart', {
    contexts: { device: { type: 'device', model: 'Pixel 8', memory_size: MEMORY_SIZE, boot_time: '2024-05-01T08:30:00Z' } },
    breadcrumbs: { values: [{ timestamp: Date.now() / 1000 - 1, category: 'fetch', data: { method: 'POST', url: '/api/cart', status_code: 200 } }] },
  });
  const list = await waitFor('four issues', async () => {
    const found = await listIssues(server.url);
    return found.issues.length === 4 && found.issues;
  });
  for (const issue of list) issues.set(issue.title.replace(/Error:.*/, ''), issue);
  const resolved = await fetch(`${server.url}/api/issues/bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ids: [issues.get('Beta')!.id], status: 'resolved' }),
  });
  expect(resolved.status).toBe(200);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openPage(browser, `${server.url}/`));
  page.setDefaultTimeout(10_000);
  await expectList(['Alpha', 'Gamma', 'Cart'], '', 'Unresolved');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('UI polish', { timeout: 120_000 }, () => {
  it('a deep link opens the list filtered, on a hash change and on load', async () => {
    await page.goto(`${server.url}/#/?status=resolved&query=level%3Aerror`);
    await expectList(['Beta'], 'level:error', 'Resolved');
    await page.reload();
    await expectList(['Beta'], 'level:error', 'Resolved');
    expect(hash()).toBe('#/?query=level%3Aerror&status=resolved');
  });

  it('tabs, searches, sort and project go into the URL; Back steps through them', async () => {
    await tab('All').click();
    await expectList(['Alpha', 'Beta', 'Cart'], 'level:error', 'All');
    expect(hash()).toBe('#/?query=level%3Aerror&status=all');
    await search().fill('Alpha');
    await search().press('Enter');
    await expectList(['Alpha'], 'Alpha', 'All');
    expect(hash()).toBe('#/?query=Alpha&status=all');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('count');
    await page.waitForURL(/#\/\?query=Alpha&status=all&sort=freq$/);
    const projectId = issues.get('Alpha')!.projectId;
    await page.getByRole('combobox', { name: 'Project' }).selectOption(String(projectId));
    await page.waitForURL(new RegExp(`#/\\?query=Alpha&status=all&sort=freq&project=${projectId}$`));

    await page.goBack();
    await page.waitForURL(/#\/\?query=Alpha&status=all&sort=freq$/);
    await expect(page.getByRole('combobox', { name: 'Project' }).inputValue()).resolves.toBe('');
    await page.goBack();
    await page.waitForURL(/#\/\?query=Alpha&status=all$/);
    await expect(page.getByRole('combobox', { name: 'Sort by' }).inputValue()).resolves.toBe('lastSeen');
    await page.goBack();
    await expectList(['Alpha', 'Beta', 'Cart'], 'level:error', 'All');
    expect(hash()).toBe('#/?query=level%3Aerror&status=all');
  });

  it('a filtered list survives opening an issue and pressing Back, or Esc', async () => {
    const listHash = hash();
    await openIssue('Alpha');
    await page.waitForURL(new RegExp(`#/issues/${issues.get('Alpha')!.id}$`));
    await page.goBack();
    await expectList(['Alpha', 'Beta', 'Cart'], 'level:error', 'All');
    expect(hash()).toBe(listHash);

    await openIssue('Alpha');
    await page.locator('[data-testid="exception"]').waitFor();
    await page.keyboard.press('Escape');
    await expectList(['Alpha', 'Beta', 'Cart'], 'level:error', 'All');
    expect(hash()).toBe(listHash);
  });

  it('device sizes read in GiB with the bytes on hover, and an http breadcrumb reads as a request', async () => {
    await openIssue('Cart');
    const memory = page.locator('dl[aria-label="device"] dt', { hasText: /^memory_size$/ }).locator('xpath=following-sibling::dd[1]');
    await expect(memory.textContent()).resolves.toBe('23.5 GiB');
    await expect(memory.getAttribute('title')).resolves.toBe(String(MEMORY_SIZE));
    const bootTime = page.locator('dl[aria-label="device"] dt', { hasText: /^boot_time$/ }).locator('xpath=following-sibling::dd[1]');
    await expect(bootTime.getAttribute('title')).resolves.toBe('2024-05-01T08:30:00Z');
    await expect(bootTime.textContent()).resolves.not.toBe('2024-05-01T08:30:00Z');

    const crumb = page.locator('[data-section="breadcrumbs"] [data-testid="breadcrumb"]', { hasText: 'fetch' });
    await expect(crumb.locator('.message').textContent()).resolves.toBe('POST /api/cart [200]');
    // The data stays below the summary.
    await expect(crumb.locator('dl dt').allTextContents()).resolves.toEqual(['method', 'url', 'status_code']);
  });

  it('setup snippet tabs follow the arrow keys, Home and End, with one tab in the Tab order', async () => {
    await page.goto(`${server.url}/#/projects`);
    const tabs = page.getByRole('tablist', { name: /^Setup snippet for / }).first().getByRole('tab');
    const labels = await tabs.allTextContents();
    expect(labels.length).toBeGreaterThan(2);
    const selected = async () => (await tabs.evaluateAll((all) => all.filter((t) => t.getAttribute('aria-selected') === 'true').map((t) => t.textContent)));
    const focused = () => page.evaluate<string | null | undefined>('document.activeElement?.textContent');
    const tabbable = () => tabs.evaluateAll((all) => all.filter((t) => t.getAttribute('tabindex') === '0').map((t) => t.textContent));

    await expect(tabbable()).resolves.toEqual([labels[0]]);
    await tabs.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(focused()).resolves.toBe(labels[1]);
    await expect(selected()).resolves.toEqual([labels[1]]);
    await expect(tabbable()).resolves.toEqual([labels[1]]);
    await page.keyboard.press('End');
    await expect(focused()).resolves.toBe(labels.at(-1));
    await page.keyboard.press('ArrowRight');
    await expect(focused()).resolves.toBe(labels[0]);
    await page.keyboard.press('ArrowLeft');
    await expect(selected()).resolves.toEqual([labels.at(-1)]);
    await page.keyboard.press('Home');
    await expect(selected()).resolves.toEqual([labels[0]]);
    await expect(page.getByRole('tabpanel', { name: labels[0] }).count()).resolves.toBe(1);
  });

  it('a new project comes into view with focus on its DSN copy button', async () => {
    await page.getByRole('textbox', { name: 'New project name' }).fill('Checkout');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await waitFor('focus on the new card', () =>
      page.evaluate<boolean>(`document.activeElement?.textContent === 'Copy DSN' && document.activeElement.closest('article')?.querySelector('h2')?.textContent === 'Checkout'`),
    );
    const inView = await page.evaluate<boolean>(`(() => { const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`);
    expect(inView).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
