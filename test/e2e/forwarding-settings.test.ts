/**
 * Forwarding as a person sets it up in a project's settings: a bad DSN is refused with its
 * reason; a good one forwards, and the panel shows the queue, what the upstream refused and why.
 * The real headless server and a recording upstream, both on 127.0.0.1 port 0.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { sendStoreEvent, waitFor } from './helpers/api';
import { startRecordingUpstream, type RecordingUpstream } from '../integration/forwarding/recording-upstream';

let server: RunningServer;
let upstream: RecordingUpstream;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  server = await startServer();
  upstream = await startRecordingUpstream(() => ({ status: 403, body: '{"detail":"event submission rejected with_reason: ProjectId"}' }));
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await openPage(browser, `${server.url}/#/projects`));
});

afterAll(async () => {
  await browser?.close();
  await upstream?.stop();
  await server?.stop();
});

describe('forwarding settings', { timeout: 60_000 }, () => {
  it('refuses a bad upstream, then shows what the upstream refused and why', async () => {
    await page.getByRole('button', { name: 'Settings' }).first().click();
    const panel = page.getByTestId('forwarding');
    const input = panel.getByPlaceholder('https://<key>@sentry.example.com/<project id>');

    await input.fill('ftp://key@sentry.example.com/1');
    await panel.getByRole('button', { name: 'Start forwarding' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('the upstream must be an http or https URL, not ftp');

    await input.fill(`http://0123456789abcdef@127.0.0.1:${upstream.port}/7`);
    await panel.getByRole('button', { name: 'Start forwarding' }).click();
    await panel.getByRole('button', { name: 'Turn off' }).waitFor();

    await sendStoreEvent(server.dsn, {
      event_id: randomBytes(16).toString('hex'),
      timestamp: Date.now() / 1000,
      platform: 'node',
      level: 'error',
      exception: { values: [{ type: 'Error', value: 'forward me' }] },
    });
    await waitFor('the upstream to be asked', async () => upstream.requests.length === 1);
    const error = panel.getByTestId('forwarding-error');
    await error.waitFor({ timeout: 10_000 });
    await expect(error.textContent()).resolves.toContain('the upstream answered 403: event submission rejected with_reason: ProjectId');
    const status = await panel.getByTestId('forwarding-status').textContent();
    expect(status).toContain('1 envelope refused by the upstream and dropped');
    expect(status).toContain('0 envelopes');
    // The refused DSN's 400, which the browser logs; nothing else went wrong.
    expect(pageErrors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('keeps what the user is typing when the project is reloaded under the form', async () => {
    const rules = page.locator('textarea');
    await rules.fill('error.type:Kept -> kept');
    // Another tab renames the project: the stream brings it back here, as do the forwarding refreshes.
    const projectId = new URL(server.dsn).pathname.slice(1);
    const renamed = await fetch(`${server.url}/api/projects/${projectId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'renamed-elsewhere' }),
    });
    expect(renamed.status).toBe(200);
    // The untouched field follows the reload; the edited one keeps the edit.
    await expect.poll(() => page.getByLabel('Name', { exact: true }).first().inputValue()).toBe('renamed-elsewhere');
    await expect(rules.inputValue()).resolves.toBe('error.type:Kept -> kept');
  });
});
