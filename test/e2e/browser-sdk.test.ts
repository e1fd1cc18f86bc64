/**
 * Real @sentry/browser traffic from a page served by the test, event data full of markup that must
 * render as text, and merge/unmerge from the UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { IssueFingerprintList } from '../../src/shared/api';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { startBrowserApp, type BrowserApp } from './helpers/browser-app';
import { runNodeApp } from './helpers/node-app';
import { getIssue, listIssues, waitFor, sendStoreEvent } from './helpers/api';

let server: RunningServer;
let shop: BrowserApp;
let browser: Browser;
let ui: Page;
let uiErrors: string[];

beforeAll(async () => {
  server = await startServer();
  shop = await startBrowserApp(server.dsn);
  browser = await launchBrowser();
  ({ page: ui, errors: uiErrors } = await openPage(browser, `${server.url}/`));
  ui.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await shop?.stop();
  await server?.stop();
});

describe('@sentry/browser traffic', { timeout: 120_000 }, () => {
  it('an unhandled error in a page becomes an issue with its breadcrumbs', async () => {
    const { page: shopPage, context } = await openPage(browser, shop.url);
    await shopPage.click('#add');
    await shopPage.waitForFunction('window.cartReady === true');
    await shopPage.click('#pay');
    await waitFor('the browser error to be stored', async () => (await listIssues(server.url)).issues.length === 1);
    await context.close();

    const issueRow = ui.locator('li.row', { has: ui.locator('a.title', { hasText: 'TypeError' }) });
    await issueRow.waitFor();
    await issueRow.locator('a.title').click();
    const exception = ui.locator('[data-testid="exception"]').first();
    await exception.waitFor();
    await expect(exception.locator('.type').textContent()).resolves.toBe('TypeError');
    await expect(exception.locator('.value').textContent()).resolves.toMatch(/price/);
    await expect(exception.locator('.badge.unhandled').textContent()).resolves.toBe('unhandled');
    const functions = await exception.locator('li.frame .fn').allTextContents();
    expect(functions.slice(0, 2)).toEqual(['renderPrice', 'HTMLButtonElement.onPay']);

    const crumbs = ui.locator('[data-section="breadcrumbs"] [data-testid="breadcrumb"]');
    const categories = await crumbs.locator('.category').allTextContents();
    expect(categories).toEqual(['ui.click', 'console', 'fetch', 'ui.click', 'console', 'exception']);
    const kinds = await crumbs.locator('[role="img"]').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    expect(kinds).toEqual(['ui', 'console', 'http', 'ui', 'console', 'error']);
    await expect(ui.locator('[data-section="tags"]').getByText('e2e-browser').count()).resolves.toBeGreaterThan(0);
  });

  it('clicking a tag filters the list by it', async () => {
    await ui.locator('[data-section="tags"] button', { hasText: 'environment' }).click();
    // The list's filters live in its URL.
    await ui.waitForURL(/#\/\?query=environment%3Ae2e-browser(&|$)/);
    await expect(ui.getByRole('searchbox', { name: 'Search issues' }).inputValue()).resolves.toBe('environment:e2e-browser');
    // The list comes from one request: once a row shows, all of them do.
    await ui.locator('li.row').first().waitFor();
    await expect(ui.locator('li.row').count()).resolves.toBe(1);
  });
});

describe('event data is text, never HTML', { timeout: 120_000 }, () => {
  it('renders <script> and markup in messages, frames, breadcrumbs and tags literally', async () => {
    await runNodeApp(server.dsn, 'hostile');
    const hostile = await waitFor('the hostile event', async () =>
      (await listIssues(server.url)).issues.find((i) => i.title.includes('HostileError')),
    );
    await ui.goto(`${server.url}/#/issues/${hostile.id}`);
    const exception = ui.locator('[data-testid="exception"]').first();
    await exception.waitFor();
    await expect(exception.locator('.value').textContent()).resolves.toBe('<b>bold?</b><script>window.__pwned = "value"</script>');
    await expect(exception.locator('.fn').first().textContent()).resolves.toBe('<img src=x onerror="window.__pwned = \'function\'">');
    await expect(exception.locator('.file').first().textContent()).resolves.toBe('/srv/app/<script>window.__pwned = "file"</script>.js');
    await expect(exception.locator('li[aria-current="true"] code').textContent()).resolves.toBe(
      '  render("<script>window.__pwned = \'context\'</script>");',
    );
    const crumbs = await ui.locator('[data-testid="breadcrumb"] .message').allTextContents();
    expect(crumbs).toContain('<img src=x onerror="window.__pwned = \'breadcrumb\'">');
    await expect(ui.locator('[data-section="tags"] .value', { hasText: '<script>' }).textContent()).resolves.toBe(
      '<script>window.__pwned = "tag"</script>',
    );
    await expect(ui.locator('[data-testid="message"]').textContent()).resolves.toBe('<script>window.__pwned = "message"</script> broke');
    await ui.locator('[data-section="raw-json"]').getByRole('button', { name: 'Show' }).click();
    await expect(ui.locator('[data-testid="raw-json"]').textContent()).resolves.toContain('<script>window.__pwned');

    // Nothing ran, and no element came from event data.
    await expect(ui.evaluate('window.__pwned ?? null')).resolves.toBeNull();
    await expect(ui.locator('#content script, #content img, #content b').count()).resolves.toBe(0);
  });
});

describe('a stack too long to keep whole', { timeout: 120_000 }, () => {
  it('shows the kept frames and says which were left out', async () => {
    const frames = Array.from({ length: 400 }, (_, index) => ({ filename: '/srv/app/deep.js', function: `level${index}`, lineno: index + 1, in_app: true }));
    await sendStoreEvent(server.dsn, { platform: 'node', exception: { values: [{ type: 'RecursionError', value: 'too deep', stacktrace: { frames } }] } });
    const issue = await waitFor('the deep issue', async () => (await listIssues(server.url)).issues.find((i) => i.title.startsWith('RecursionError')));
    await ui.goto(`${server.url}/#/issues/${issue.id}`);
    const note = ui.locator('[data-testid="frames-omitted"]');
    await expect(note.textContent().then((text) => text?.replace(/\s+/g, ' ').trim())).resolves.toBe(
      '150 frames from the middle of this stack were not kept (frames 126–275 of 400): it was too long to store whole',
    );
    await ui.getByRole('button', { name: 'Show 190 more frames' }).click();
    await expect(ui.locator('[data-testid="exception"] .fn').count()).resolves.toBe(250);
  });
});

describe('merge and unmerge', { timeout: 120_000 }, () => {
  it('merges two issues from the list and splits them again from the detail', async () => {
    await runNodeApp(server.dsn, 'checkout');
    await runNodeApp(server.dsn, 'inventory');
    const issues = await waitFor('the two node issues', async () => {
      const { issues } = await listIssues(server.url);
      const checkout = issues.find((i) => i.title.includes("reading 'items'"));
      const inventory = issues.find((i) => i.title.startsWith('RangeError'));
      return checkout && inventory ? { checkout, inventory } : null;
    });
    const inventoryHashes = (await getIssue(server.url, issues.inventory.id)).hashes.map((h) => h.hash);
    const checkoutHashes = (await getIssue(server.url, issues.checkout.id)).hashes.map((h) => h.hash);
    const latestEventOf = async (id: number) =>
      ((await (await fetch(`${server.url}/api/issues/${id}/events/latest`)).json()) as { eventId: string }).eventId;
    const latestEvents = new Map([
      [issues.checkout.id, await latestEventOf(issues.checkout.id)],
      [issues.inventory.id, await latestEventOf(issues.inventory.id)],
    ]);

    await ui.goto(`${server.url}/#/`);
    const search = ui.getByRole('searchbox', { name: 'Search issues' });
    await search.fill('');
    await search.press('Enter');
    const rowOf = (id: number) => ui.locator(`li.row[data-issue-id="${id}"]`);
    await rowOf(issues.checkout.id).getByRole('checkbox').check();
    await rowOf(issues.inventory.id).getByRole('checkbox').check();
    ui.once('dialog', (dialog) => void dialog.accept());
    await ui.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Merge' }).click();
    await ui.waitForURL(/#\/issues\/\d+$/);
    const survivorId = Number(/issues\/(\d+)$/.exec(ui.url())![1]);
    expect([issues.checkout.id, issues.inventory.id]).toContain(survivorId);
    const fingerprints = ui.locator('[data-section="fingerprints"]');
    const total = inventoryHashes.length + checkoutHashes.length;
    await fingerprints.getByRole('heading', { name: `Fingerprints (${total})` }).waitFor();
    const merged = await getIssue(server.url, survivorId);
    expect(merged.count).toBe(issues.checkout.count + issues.inventory.count);

    // A link to an event of the issue merged away leads to that event in the survivor.
    const goneId = survivorId === issues.checkout.id ? issues.inventory.id : issues.checkout.id;
    const movedEvent = latestEvents.get(goneId)!;
    const errorsBefore = uiErrors.length;
    await ui.goto(`${server.url}/#/issues/${goneId}/events/${movedEvent}`);
    await ui.waitForURL((url) => url.hash === `#/issues/${survivorId}/events/${movedEvent}`);
    await ui.locator('.event-nav code', { hasText: movedEvent.slice(0, 12) }).waitFor();
    // The browser logs the API's 404 for the merged-away issue; that one is expected, nothing else.
    expect(uiErrors.splice(errorsBefore)).toEqual(['console: Failed to load resource: the server responded with a status of 404 (Not Found)']);
    await ui.goto(`${server.url}/#/issues/${survivorId}`);
    await fingerprints.getByRole('heading', { name: `Fingerprints (${total})` }).waitFor();

    // Split the inventory error's events back out into a new issue: only its hashes that hold
    // events can be chosen (the others matched alongside them), and unmerge asks first.
    const held = ((await (await fetch(`${server.url}/api/issues/${survivorId}/hashes`)).json()) as IssueFingerprintList).fingerprints;
    const inventoryHeld = held.filter((f) => f.eventCount > 0 && inventoryHashes.includes(f.hash)).map((f) => f.hash);
    expect(inventoryHeld.length).toBeGreaterThan(0);
    for (const hash of inventoryHeld) await fingerprints.getByRole('checkbox', { name: `Select fingerprint ${hash}` }).check();
    ui.once('dialog', (dialog) => void dialog.accept());
    await fingerprints.getByRole('button', { name: `Unmerge ${inventoryHeld.length} selected` }).click();
    await ui.waitForURL((url) => /#\/issues\/\d+$/.test(url.hash) && !url.hash.endsWith(`/issues/${survivorId}`));
    const splitId = Number(/issues\/(\d+)$/.exec(ui.url())![1]);
    await ui.locator('[data-section="fingerprints"]').getByRole('heading', { name: `Fingerprints (${inventoryHeld.length})` }).waitFor();
    await expect(ui.locator('.issue-header h1').textContent()).resolves.toMatch(/^RangeError/);
    const split = await getIssue(server.url, splitId);
    expect(split.count).toBe(issues.inventory.count);
    expect((await getIssue(server.url, survivorId)).count).toBe(issues.checkout.count);
  });

  it('works from the keyboard: / searches, i ignores the focused issue', async () => {
    await ui.goto(`${server.url}/#/`);
    await ui.getByRole('tab', { name: 'Unresolved', exact: true }).click(); // the tag filter had chosen "All"
    await ui.locator('li.row').first().waitFor();
    await ui.keyboard.press('/');
    const search = ui.getByRole('searchbox', { name: 'Search issues' });
    await expect(search.evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(true);
    await search.fill('HostileError');
    await search.press('Enter');
    // The HostileError row was on screen before the search: wait for the list to be reloaded by it.
    await expect.poll(() => ui.locator('li.row').count(), { timeout: 10_000 }).toBe(1);
    await ui.locator('li.row', { hasText: 'HostileError' }).waitFor();
    await ui.keyboard.press('Escape'); // leaves the search box, keeping the search
    await expect(search.inputValue()).resolves.toBe('HostileError');
    await ui.keyboard.press('i');
    await ui.getByText('No unresolved issues match this search.').waitFor();
    const { issues } = await listIssues(server.url, 'status=ignored');
    expect(issues.map((i) => i.title)).toEqual([expect.stringContaining('HostileError')]);
  });

  it('logged no page errors', () => {
    expect(uiErrors).toEqual([]);
  });
});
