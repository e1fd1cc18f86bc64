/**
 * Renders the list, the detail (stack trace and breadcrumbs) and the setup screen in both themes
 * against a live server fed by real SDK traffic. The images go to docs/screenshots/ when
 * UPDATE_SCREENSHOTS=1 (so a plain test run never rewrites committed files), else to a temp folder.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './helpers/browser';
import { REPO_ROOT, startServer, type RunningServer } from './helpers/server';
import { runNodeApp } from './helpers/node-app';
import { startBrowserApp } from './helpers/browser-app';
import { listIssues, waitFor } from './helpers/api';

const updating = process.env.UPDATE_SCREENSHOTS === '1';
const outDir = updating ? join(REPO_ROOT, 'docs/screenshots') : mkdtempSync(join(tmpdir(), 'stacktray-screenshots-'));
const themes = ['light', 'dark'] as const;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (!updating) rmSync(outDir, { recursive: true, force: true });
});

/** `ready`: what must be on the page (every selector of a list) before the shot. */
async function shoot(theme: (typeof themes)[number], hash: string, name: string, ready: string | string[], width = 1280, scrollTo?: string) {
  const { page, context, errors } = await openPage(browser, `${server.url}/${hash}`, { colorScheme: theme, width });
  try {
    for (const selector of [ready].flat()) await page.locator(selector).first().waitFor();
  } catch (error) {
    // Say what the page showed instead, and any page errors, rather than only the selector.
    const shown = await page.locator('body').innerText().catch(() => '(no body)');
    throw new Error(`${name}-${theme}: ${ready} never appeared. Page errors: ${errors.join('; ') || 'none'}\n${shown.slice(0, 1500)}`, { cause: error });
  }
  await page.evaluate('document.fonts.ready.then(() => true)');
  if (scrollTo) {
    // Scroll the section to just under the sticky top bar (48px).
    await page.evaluate(
      `window.scrollTo(0, document.querySelector(${JSON.stringify(scrollTo)}).getBoundingClientRect().top + window.scrollY - 56)`,
    );
  }
  const file = join(outDir, `${name}-${theme}.png`);
  await page.screenshot({ path: file });
  await context.close();
  expect(errors).toEqual([]);
  expect(statSync(file).size).toBeGreaterThan(10_000);
}

describe('screenshots', { timeout: 120_000 }, () => {
  it('setup screen on first run', async () => {
    for (const theme of themes) await shoot(theme, '#/', 'setup', 'text=Waiting for your first error…');
  });

  it('issue list and detail with real SDK data', async () => {
    await runNodeApp(server.dsn, 'checkout', '1.0.0');
    await runNodeApp(server.dsn, 'inventory', '1.0.0');
    await runNodeApp(server.dsn, 'checkout', '1.0.1');
    await runNodeApp(server.dsn, 'held', '1.0.1');
    // An app with another project's key: refused, and the list says so.
    const { origin, pathname } = new URL(server.dsn);
    for (let i = 0; i < 12; i++) {
      const refused = await fetch(`${origin}/api${pathname}/envelope/?sentry_key=${'b'.repeat(32)}`, { method: 'POST', body: '{}\n' });
      expect(refused.status).toBe(403);
    }
    const shop = await startBrowserApp(server.dsn);
    const { page, context } = await openPage(browser, shop.url);
    await page.click('#add');
    await page.waitForFunction('window.cartReady === true');
    await page.click('#pay');
    await waitFor('four issues', async () => (await listIssues(server.url)).issues.length === 4);
    await context.close();
    await shop.stop();

    const checkout = (await listIssues(server.url)).issues.find((i) => i.title.includes("'items'"));
    expect(checkout?.count).toBe(2);
    const held = (await listIssues(server.url)).issues.find((i) => i.title.startsWith('RangeError') && i.firstRelease === '1.0.1');
    for (const theme of themes) {
      await shoot(theme, '#/', 'issues', ['[data-testid="issue-line"]', '[data-testid="refusal-banner"]']);
      await shoot(theme, `#/issues/${checkout!.id}`, 'issue-detail', '[data-testid="exception"]');
      await shoot(theme, `#/issues/${checkout!.id}`, 'issue-breadcrumbs', '[data-testid="breadcrumb"]', 1280, '[data-section="breadcrumbs"]');
      await shoot(theme, '#/projects', 'projects', 'code[aria-label="DSN"]');
      await shoot(theme, `#/issues/${held!.id}`, 'issue-similar', '[data-testid="similar-issue"]', 1280, '[data-section="similar"]');
    }
    await shoot('light', '#/', 'issues-narrow', ['[data-testid="issue-line"]', '[data-testid="refusal-banner"]'], 900);
    await shoot('light', `#/issues/${checkout!.id}`, 'issue-detail-narrow', '[data-testid="exception"]', 900);
  });
});
