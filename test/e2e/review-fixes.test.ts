/**
 * The UI review's findings, each as a person meets it in the issue list and detail: shortcuts act
 * on the focused row and never while typing, "/" from an issue searches, the event navigation
 * follows live events, a message with a stack reads as a message, times never lie in the future,
 * tabs follow `is:`, tag clicks edit the search, the bulk bar, Esc and the breadcrumb filter.
 * Events go in through the real ingest endpoint (and the real @sentry/node SDK for the message).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Issue } from '../../src/shared/issue';
import { launchBrowser, openPage } from './helpers/browser';
import { REPO_ROOT, startServer, type RunningServer } from './helpers/server';
import { getIssue, listIssues, waitFor, sendStoreEvent } from './helpers/api';

const run = promisify(execFile);

let server: RunningServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];

/** Issues by short name, as the server made them. */
const issues = new Map<string, Issue>();

function eventId(): string {
  return randomBytes(16).toString('hex');
}

/** One exception event through the legacy store endpoint, as an SDK without envelopes sends it. */
async function sendError(name: string, options: { secondsFromNow?: number; browser?: string; id?: string } = {}): Promise<string> {
  const id = options.id ?? eventId();
  const timestamp = Date.now() / 1000 + (options.secondsFromNow ?? 0);
  const event = {
    event_id: id,
    timestamp,
    platform: 'javascript',
    level: 'error',
    release: '1.0.0',
    environment: 'e2e',
    tags: { browser: options.browser ?? 'Chrome' },
    breadcrumbs: {
      values: [
        { timestamp: timestamp - 2, category: 'ui.click', message: `clicked ${name}` },
        { timestamp: timestamp - 1, category: 'console', level: 'info', message: `loading ${name}` },
      ],
    },
    exception: {
      values: [
        {
          type: `${name}Error`,
          value: `${name} failed`,
          mechanism: { type: 'generic', handled: true },
          stacktrace: { frames: [{ filename: `/app/${name.toLowerCase()}.js`, function: `run${name}`, lineno: 10, colno: 3, in_app: true }] },
        },
      ],
    },
  };
  await sendStoreEvent(server.dsn, event);
  return id;
}

async function statusOf(name: string): Promise<Issue> {
  return getIssue(server.url, issues.get(name)!.id);
}

const row = (name: string) => page.locator('li.row', { has: page.locator('a.title', { hasText: `${name}Error` }) });
const search = () => page.getByRole('searchbox', { name: 'Search issues' });
const toast = (text: string) => page.locator('.toast', { hasText: text });
const cursorRowId = () => page.locator('li.row[aria-current="true"]').getAttribute('data-issue-id');
// Evaluated as strings: this file is type-checked without the DOM's types.
const focusedRowId = () => page.evaluate<string | null>("document.activeElement?.closest('li.row')?.dataset.issueId ?? null");

beforeAll(async () => {
  server = await startServer();
  // Oldest first: the list (last seen first) shows Delta, Gamma, Beta, Alpha. Delta's SDK clock
  // runs 30 s ahead of this machine's.
  for (const [name, secondsFromNow] of [['Alpha', -40], ['Beta', -30], ['Gamma', -20], ['Delta', 30]] as const) {
    await sendError(name, { secondsFromNow });
  }
  const list = await waitFor('four issues', async () => {
    const page = await listIssues(server.url);
    return page.issues.length === 4 && page.issues;
  });
  for (const issue of list) issues.set(issue.title.replace(/Error:.*/, ''), issue);
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openPage(browser, `${server.url}/`));
  page.setDefaultTimeout(10_000);
  await page.locator('li.row').nth(3).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('UI review fixes', { timeout: 120_000 }, () => {
  it('lists the rows last seen first, with times never in the future and full titles on hover', async () => {
    const titles = await page.locator('li.row a.title').allTextContents();
    expect(titles).toEqual(['DeltaError: Delta failed', 'GammaError: Gamma failed', 'BetaError: Beta failed', 'AlphaError: Alpha failed']);
    // Delta was sent 30 s ahead of this clock: it just arrived, it is not "in 30s".
    expect(Date.parse(issues.get('Delta')!.lastSeen)).toBeGreaterThan(Date.now());
    // One relative time per row; the first seen is on hover.
    await expect(row('Delta').locator('.times time').allTextContents()).resolves.toEqual(['just now']);
    await expect(row('Delta').locator('.times').getAttribute('title')).resolves.toMatch(/^Last seen just now \(.+\), the only time$/);
    const alpha = issues.get('Alpha')!;
    expect(alpha.culprit).not.toBe('');
    await expect(row('Alpha').locator('a.title').getAttribute('title')).resolves.toBe(`${alpha.title}\n${alpha.culprit}`);
  });

  it('j/k move keyboard focus; Tab into a row moves the cursor, so r resolves the focused issue', async () => {
    await page.keyboard.press('j');
    await expect(cursorRowId()).resolves.toBe(String(issues.get('Gamma')!.id));
    await expect(focusedRowId()).resolves.toBe(String(issues.get('Gamma')!.id));
    // From Gamma's title: Tab to Beta's checkbox, then to Beta's title.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string | null | undefined>('document.activeElement?.textContent')).resolves.toBe('BetaError: Beta failed');
    await expect(cursorRowId()).resolves.toBe(String(issues.get('Beta')!.id));

    await page.keyboard.press('r');
    await toast('Resolved “BetaError: Beta failed”').waitFor();
    await row('Beta').waitFor({ state: 'detached' });
    await expect(statusOf('Beta')).resolves.toMatchObject({ status: 'resolved' });
    await expect(statusOf('Gamma')).resolves.toMatchObject({ status: 'unresolved' });
    // Focus stays in the list, on the row now under the cursor.
    await expect(focusedRowId()).resolves.toBe(String(issues.get('Alpha')!.id));

    await toast('Resolved “BetaError: Beta failed”').getByRole('button', { name: 'Undo' }).click();
    await toast('Restored “BetaError: Beta failed”').waitFor();
    await row('Beta').waitFor();
    await expect(statusOf('Beta')).resolves.toMatchObject({ status: 'unresolved' });
  });

  it('no shortcut fires with a modifier held or while typing in a field', async () => {
    await row('Alpha').locator('a.title').focus();
    await page.keyboard.press('Alt+r');
    await page.keyboard.press('Shift+I');
    await search().focus();
    await page.keyboard.type('ri');
    await expect(search().inputValue()).resolves.toBe('ri');
    await search().fill('');
    // A real shortcut afterwards: once it has acted, the keys before it were handled (and ignored).
    await row('Delta').locator('a.title').focus();
    await page.keyboard.press('i');
    await toast('Ignored “DeltaError: Delta failed”').waitFor();
    await expect(statusOf('Alpha')).resolves.toMatchObject({ status: 'unresolved' });
    await toast('Ignored “DeltaError: Delta failed”').getByRole('button', { name: 'Undo' }).click();
    await row('Delta').waitFor();
    await expect(statusOf('Delta')).resolves.toMatchObject({ status: 'unresolved' });
  });

  it('the bulk bar offers what changes the selection, including Resolve in next release', async () => {
    await row('Gamma').getByRole('checkbox').check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await expect(bar.getByRole('button').allTextContents()).resolves.toEqual(['Resolve', 'Resolve in next release', 'Ignore', 'Merge']);
    await bar.getByRole('button', { name: 'Resolve in next release' }).click();
    await toast('Resolved “GammaError: Gamma failed” in the next release').waitFor();
    await expect(statusOf('Gamma')).resolves.toMatchObject({ status: 'resolved', resolvedInNextRelease: true });
  });

  it('typing is:resolved selects the Resolved tab; a tab click replaces the is: term', async () => {
    await search().fill('is:resolved');
    await search().press('Enter');
    await expect(page.getByRole('tab', { name: 'Resolved', exact: true }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByRole('tab', { name: 'Unresolved', exact: true }).getAttribute('aria-selected')).resolves.toBe('false');
    await row('Alpha').waitFor({ state: 'detached' });
    await expect(page.locator('li.row a.title').allTextContents()).resolves.toEqual(['GammaError: Gamma failed']);

    // Resolved issues can only be ignored or unresolved.
    await row('Gamma').getByRole('checkbox').check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await expect(bar.getByRole('button').allTextContents()).resolves.toEqual(['Ignore', 'Unresolve', 'Merge']);
    await row('Gamma').getByRole('checkbox').uncheck();

    await page.getByRole('tab', { name: 'Unresolved', exact: true }).click();
    await expect(search().inputValue()).resolves.toBe('');
    await row('Alpha').waitFor();
    await expect(page.locator('li.row a.title').allTextContents()).resolves.toEqual([
      'DeltaError: Delta failed',
      'BetaError: Beta failed',
      'AlphaError: Alpha failed',
    ]);
  });

  it('on an issue, "/" goes to the list search and the typed text lands there, not in shortcuts', async () => {
    await row('Alpha').locator('a.title').click();
    await page.locator('[data-testid="exception"]').waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('level:warning');
    await page.getByRole('tablist', { name: 'Issue status' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    await expect(search().inputValue()).resolves.toBe('level:warning');
    await expect(page.evaluate<string | null | undefined>("document.activeElement?.getAttribute('aria-label')")).resolves.toBe('Search issues');
    // "warning" holds r and i: neither the issue shown nor the list's cursor row was touched.
    for (const name of ['Alpha', 'Beta', 'Delta']) await expect(statusOf(name)).resolves.toMatchObject({ status: 'unresolved' });
  });

  it('the breadcrumb filter says when nothing matches, and typing there is not a shortcut', async () => {
    await search().fill('Alpha browser:Chrome');
    await search().press('Enter');
    await page.locator('li.row').nth(1).waitFor({ state: 'detached' });
    await row('Alpha').locator('a.title').click();
    const crumbs = page.locator('[data-section="breadcrumbs"]');
    await crumbs.getByRole('searchbox', { name: 'Filter breadcrumbs' }).fill('');
    await crumbs.getByRole('searchbox', { name: 'Filter breadcrumbs' }).pressSequentially('riu');
    await expect(crumbs.getByTestId('no-breadcrumbs-match').textContent()).resolves.toBe('No breadcrumbs match “riu”');
    // Only the event's own row is left.
    await expect(crumbs.getByTestId('breadcrumb').count()).resolves.toBe(1);
    await crumbs.getByRole('searchbox', { name: 'Filter breadcrumbs' }).fill('clicked');
    await expect(crumbs.getByTestId('breadcrumb').count()).resolves.toBe(2);
    await expect(crumbs.getByTestId('no-breadcrumbs-match').count()).resolves.toBe(0);
    await expect(statusOf('Alpha')).resolves.toMatchObject({ status: 'unresolved' });
  });

  it('"Newer ›" follows an event that arrived while the issue was open', async () => {
    const shownUrl = page.url();
    await expect(page.getByRole('button', { name: 'Newer ›' }).isDisabled()).resolves.toBe(true);
    const newer = await sendError('Alpha', { browser: 'Firefox' });
    await page.getByRole('button', { name: '1 newer event' }).waitFor();
    await expect(page.getByRole('button', { name: 'Newer ›' }).isDisabled()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Newer ›' }).click();
    await page.waitForURL(new RegExp(`#/issues/${issues.get('Alpha')!.id}/events/${newer}$`));
    expect(page.url()).not.toBe(shownUrl);
    await page.locator('.event-nav code', { hasText: newer.slice(0, 12) }).waitFor();
    await expect(page.getByRole('button', { name: 'Newer ›' }).isDisabled()).resolves.toBe(true);
  });

  it('a tag click replaces the search term with the same key and keeps the others', async () => {
    await page.locator('[data-section="tags"] button.tag', { hasText: 'Firefox' }).click();
    await page.getByRole('tablist', { name: 'Issue status' }).waitFor();
    await expect(search().inputValue()).resolves.toBe('Alpha browser:Firefox');
    // The issue a tag came from may be resolved: the search covers every status.
    await expect(page.getByRole('tab', { name: 'All', exact: true }).getAttribute('aria-selected')).resolves.toBe('true');
    await row('Alpha').waitFor();
    await expect(page.locator('li.row').count()).resolves.toBe(1);
  });

  it('Esc on an issue returns to the list with its search, not back through the events visited', async () => {
    await row('Alpha').locator('a.title').click();
    await page.getByRole('button', { name: '‹ Older' }).click();
    await page.waitForURL(/#\/issues\/\d+\/events\/[0-9a-f]+$/);
    await page.locator('.event-nav').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('tablist', { name: 'Issue status' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/?query=Alpha+browser%3AFirefox&status=all');
    await expect(search().inputValue()).resolves.toBe('Alpha browser:Firefox');
    await expect(page.locator('li.row a.title').allTextContents()).resolves.toEqual(['AlphaError: Alpha failed']);
  });

  it('a captureMessage with an attached stack reads as a message with its stack trace', async () => {
    await run(process.execPath, [join(REPO_ROOT, 'test/e2e/fixtures/node-message/message-with-stack.cjs')], {
      cwd: REPO_ROOT,
      env: { ...process.env, SENTRY_DSN: server.dsn },
      timeout: 20_000,
    });
    const message = await waitFor('the message issue', async () =>
      (await listIssues(server.url)).issues.find((i) => i.title === 'User 456 not found'),
    );
    await page.goto(`${server.url}/#/issues/${message.id}`);
    await page.locator('[data-section="message"]').waitFor();
    const sections = await page.locator('section[data-section]').evaluateAll((els) => els.map((el) => el.getAttribute('data-section')));
    expect(sections.indexOf('message')).toBeGreaterThanOrEqual(0);
    expect(sections.indexOf('message')).toBeLessThan(sections.indexOf('exception'));
    await expect(page.getByTestId('message').textContent()).resolves.toBe('User 456 not found');
    const stack = page.locator('[data-section="exception"]');
    await expect(stack.locator('h2').textContent()).resolves.toBe('Stack trace');
    // No made-up "Error" type, mechanism or handled badges, and the message is not repeated.
    await expect(stack.locator('[data-testid="exception"] > .heading, [data-testid="exception"] > .value').count()).resolves.toBe(0);
    await expect(stack.locator('.badge', { hasText: /generic|handled/ }).count()).resolves.toBe(0);
    await expect(stack.locator('li.frame .fn').allTextContents()).resolves.toContain('loadUser');
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
