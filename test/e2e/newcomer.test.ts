/**
 * What a newcomer tripped over, in Chromium against the real headless server: events refused for a
 * wrong DSN key show as a live banner (and a log line), and two issues that look the same are told
 * apart in the list and merged from the issue page.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { getIssue, listIssues, sendStoreEvent, waitFor } from './helpers/api';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function lookAlike(lineno: number, source: string): Record<string, unknown> {
  return {
    event_id: randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    exception: {
      values: [
        {
          type: 'Error',
          value: 'out of stock',
          stacktrace: {
            frames: [
              { filename: 'app.js', abs_path: '/srv/shop/app.js', function: 'handle', lineno: 3, in_app: true },
              { filename: 'app.js', abs_path: '/srv/shop/app.js', function: 'inventoryLookup', lineno, context_line: source, in_app: true },
            ],
          },
        },
      ],
    },
  };
}

describe('a newcomer', { timeout: 60_000 }, () => {
  it('sees events refused for a wrong key as a live banner with the fix, and a log line', async () => {
    const { page, context, errors } = await openPage(browser, `${server.url}/#/`);
    await page.getByText('Waiting for your first error…').waitFor();
    const { origin, pathname } = new URL(server.dsn);
    const wrongKey = 'a'.repeat(32);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${origin}/api${pathname}/envelope/?sentry_key=${wrongKey}`, { method: 'POST', body: '{}\n' });
      expect(response.status).toBe(403);
    }
    const banner = page.getByTestId('refusal-banner');
    await waitFor('the banner to count 3 events', async () => /^!\s*3 events refused in the last hour for default:/.test((await banner.innerText()).trim()));
    expect(await banner.innerText()).toContain("the key in the app's DSN is not this project's —");
    await expect(banner.getByRole('button', { name: 'copy the DSN' }).isVisible()).resolves.toBe(true);
    const logLine = 'refused 1 event for project 1 (default) (403 wrong-key): the key from the sentry_key query parameter does not belong to project 1';
    await waitFor('the log line', async () => server.output.join('').includes(logLine));
    // The project shows it too, above its card.
    await page.goto(`${server.url}/#/projects`);
    await page.locator('[data-testid="refusal-banner"] + article.project').waitFor();
    expect(await page.getByTestId('refusal-banner').innerText()).toContain('3 events refused in the last hour for default');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('tells look-alike issues apart by their line and merges them from Similar issues', async () => {
    await sendStoreEvent(server.dsn, lookAlike(42, '  const item = stock.get(id).count;'));
    await sendStoreEvent(server.dsn, lookAlike(57, '  return reserved.get(id).count;'));
    await waitFor('two issues', async () => (await listIssues(server.url)).issues.length === 2);
    const { page, context, errors } = await openPage(browser, `${server.url}/#/`);
    const lines = page.getByTestId('issue-line');
    await waitFor('both rows to show their line', async () => (await lines.count()) === 2);
    expect((await lines.allInnerTexts()).map((text) => text.trim()).sort()).toEqual([
      'line 42: const item = stock.get(id).count;',
      'line 57: return reserved.get(id).count;',
    ]);
    await expect(page.locator('li.row .badge.new').count()).resolves.toBe(2);

    const [newer, older] = (await listIssues(server.url, 'sort=firstSeen')).issues;
    await page.goto(`${server.url}/#/issues/${newer!.id}`);
    const similar = page.getByTestId('similar-issue');
    await similar.waitFor();
    expect(await similar.innerText()).toContain(`#${older!.id}`);
    expect(await similar.innerText()).toContain('line 42');
    await similar.getByRole('button', { name: `Merge #${older!.id} with this issue` }).click();
    // The older issue keeps both: the page follows it.
    await page.waitForURL(`**/#/issues/${older!.id}`);
    await page.locator('.issue-header', { hasText: `#${older!.id}` }).waitFor();
    await waitFor('the merged issue to hold both events', async () => (await getIssue(server.url, older!.id)).count === 2);
    await expect(page.getByRole('heading', { name: 'Similar issues' }).count()).resolves.toBe(0);

    // Opened: the row is no longer "New".
    await page.goto(`${server.url}/#/`);
    await page.locator(`li.row[data-issue-id="${older!.id}"]`).waitFor();
    await expect(page.locator('li.row .badge.new').count()).resolves.toBe(0);
    await context.close();
    expect(errors).toEqual([]);
  });

  it('sees desktop-only settings only in the desktop window, and what the headless server does instead', async () => {
    const { page, context, errors } = await openPage(browser, `${server.url}/#/settings`);
    await page.getByTestId('headless-alerts').waitFor();
    expect(await page.getByTestId('headless-alerts').innerText()).toContain('prints a line for each new issue and regression instead, and posts it to the project');
    await expect(page.getByText('Show notifications').count()).resolves.toBe(0);
    await expect(page.getByText('Configured port').count()).resolves.toBe(0);
    // The desktop window: the preload's bridge is on the page before it loads.
    await page.addInitScript(`window.stacktray = {
      onOpenIssue: () => () => undefined,
      revealDataFolder: async () => undefined,
      appVersion: async () => '0.1.0',
      openInEditor: async () => false,
    };`);
    await page.reload();
    await page.getByText('Show notifications').waitFor();
    await expect(page.getByTestId('headless-alerts').count()).resolves.toBe(0);
    await expect(page.getByText('Configured port').count()).resolves.toBe(1);
    await context.close();
    expect(errors).toEqual([]);
  });

  it('is told when an OpenTelemetry service.name creates a project, and reads its culprit as the Node SDK would', async () => {
    const { page, context, errors } = await openPage(browser, `${server.url}/#/`);
    await page.locator('li.row').first().waitFor();
    const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const stack = 'Error: SKU 42 out of stock\n    at inventoryLookup (/home/dev/billing/app.js:12:11)\n    at main (/home/dev/billing/lib/run.js:3:1)';
    const body = {
      resourceSpans: [{
        resource: { attributes: [attribute('service.name', 'billing'), attribute('telemetry.sdk.language', 'nodejs'), attribute('process.command', '/home/dev/billing/app.js')] },
        scopeSpans: [{
          scope: { name: 'manual' },
          spans: [{
            traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'GET /stock', kind: 2,
            startTimeUnixNano: String(BigInt(Date.now() - 5) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
            events: [{ name: 'exception', timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), attributes: [attribute('exception.type', 'Error'), attribute('exception.message', 'SKU 42 out of stock'), attribute('exception.stacktrace', stack)] }],
          }],
        }],
      }],
    };
    const response = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    await page.getByText('New project “billing” created for the OpenTelemetry service.name “billing”.').waitFor();
    const issue = await waitFor('the OTLP issue', async () => (await listIssues(server.url)).issues.find((i) => i.title === 'Error: SKU 42 out of stock'));
    expect(issue.culprit).toBe('inventoryLookup(app)');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('reads a message event in its units: template with params, app memory in GiB, no 0 MHz, the last breadcrumb a message', async () => {
    await sendStoreEvent(server.dsn, {
      event_id: randomBytes(16).toString('hex'),
      timestamp: Date.now() / 1000,
      platform: 'node',
      level: 'warning',
      logentry: { message: 'checkout slow after %d ms', params: [1200], formatted: 'checkout slow after 1200 ms' },
      breadcrumbs: { values: [{ timestamp: Date.now() / 1000 - 1, category: 'http', message: 'GET /cart' }] },
      contexts: {
        app: { type: 'app', app_memory: 52_428_800, free_memory: 6_969_458_688 },
        device: { type: 'device', memory_size: 25_276_063_744, processor_frequency: 0, processor_count: 2 },
      },
    });
    const issue = await waitFor('the message issue', async () => (await listIssues(server.url)).issues.find((i) => i.title === 'checkout slow after 1200 ms'));
    const { page, context, errors } = await openPage(browser, `${server.url}/#/issues/${issue.id}`);
    const template = page.locator('[data-section="message"] .template');
    await template.waitFor();
    expect(await template.innerText()).toMatch(/^Template: checkout slow after %d ms · params \[/);
    const app = page.getByRole('definition').filter({ hasText: '6.5 GiB' });
    await expect(app.count()).resolves.toBe(1);
    await expect(page.locator('dl[aria-label="device"] dt', { hasText: 'processor_frequency' }).count()).resolves.toBe(0);
    await expect(page.locator('dl[aria-label="device"] dt', { hasText: 'processor_count' }).count()).resolves.toBe(1);
    await expect(page.locator('[data-testid="breadcrumb"] .category').last().textContent()).resolves.toBe('message');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('sees a fatal issue set apart from errors in the list', async () => {
    await sendStoreEvent(server.dsn, { ...lookAlike(99, '  process.abort();'), level: 'fatal', exception: { values: [{ type: 'FatalError', value: 'heap exhausted' }] } });
    await waitFor('the fatal issue', async () => (await listIssues(server.url)).issues.some((i) => i.level === 'fatal'));
    const { page, context, errors } = await openPage(browser, `${server.url}/#/`);
    const fatal = page.locator('li.row [data-testid="issue-level"]', { hasText: 'fatal' });
    const error = page.locator('li.row [data-testid="issue-level"]', { hasText: 'error' }).first();
    await fatal.waitFor();
    // Runs in the page; the test's types have no DOM, hence the cast.
    type Styles = { getComputedStyle(element: unknown): Record<string, string> };
    const look = (locator: typeof fatal) =>
      locator.evaluate((element) => {
        const style = (globalThis as unknown as Styles).getComputedStyle(element);
        return [style['backgroundColor'], style['fontWeight'], style['textTransform']];
      });
    const [fatalLook, errorLook] = [await look(fatal), await look(error)];
    expect(fatalLook).not.toEqual(errorLook);
    expect(fatalLook[2]).toBe('uppercase');
    await context.close();
    expect(errors).toEqual([]);
  });
});
