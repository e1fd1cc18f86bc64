/**
 * The Fingerprints section of a merged issue: every hash shows the events grouped under it and its
 * latest one; a hash without events cannot be chosen (its tooltip says why); unmerge asks first,
 * then opens the new issue. Needs `npm run build` (out/), or STACKTRAY_E2E_CLI pointing at a build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { IssueFingerprintList } from '../../src/shared/api';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { getIssue, listIssues, waitFor, sendStoreEvent } from './helpers/api';

let server: RunningServer;
let browser: Browser;
let ui: Page;
let uiErrors: string[];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page: ui, errors: uiErrors } = await openPage(browser, `${server.url}/`));
  ui.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A Node error below a Node-internal frame, so its in-app and all-frames hashes differ. */
async function sendError(type: string, fn: string, timestamp: number): Promise<void> {
  await sendStoreEvent(server.dsn, {
    platform: 'node',
    timestamp,
    exception: {
      values: [
        {
          type,
          value: `failed in ${fn}`,
          stacktrace: {
            frames: [
              { filename: 'node:internal/process/task_queues', function: 'processTicksAndRejections', lineno: 95, in_app: false },
              { filename: '/srv/app/jobs.js', function: fn, lineno: 12, in_app: true },
            ],
          },
        },
      ],
    },
  });
}

async function fingerprintsOf(issueId: number): Promise<IssueFingerprintList['fingerprints']> {
  return ((await (await fetch(`${server.url}/api/issues/${issueId}/hashes`)).json()) as IssueFingerprintList).fingerprints;
}

const section = () => ui.locator('[data-section="fingerprints"]');
const rowOf = (hash: string) => section().locator(`[data-testid="fingerprint"][data-hash="${hash}"]`);

describe('fingerprints of a merged issue', { timeout: 120_000 }, () => {
  it('lists each hash with its events; a never-merged issue offers no unmerge', async () => {
    const now = Math.floor(Date.now() / 1000);
    await sendError('TypeError', 'chargeCard', now - 300);
    await sendError('TypeError', 'chargeCard', now - 120);
    await sendError('RangeError', 'shipOrder', now - 90);
    const { card, ship } = await waitFor('two issues', async () => {
      const { issues } = await listIssues(server.url);
      const card = issues.find((i) => i.title.startsWith('TypeError') && i.count === 2);
      const ship = issues.find((i) => i.title.startsWith('RangeError'));
      return card && ship ? { card, ship } : null;
    });

    await ui.goto(`${server.url}/#/issues/${card.id}`);
    await section().getByRole('heading', { name: 'Fingerprints (2)' }).waitFor();
    await section().locator('[data-testid="fingerprint"]').nth(1).waitFor();
    await expect(section().locator('[data-testid="fingerprint-events"]').allTextContents()).resolves.toEqual(['2 events', '0 events']);
    await expect(section().getByRole('checkbox').count()).resolves.toBe(0);
    await expect(section().getByRole('button', { name: /Unmerge/ }).count()).resolves.toBe(0);
    await section().getByText("Only one fingerprint holds this issue's events, so there is nothing to unmerge.").waitFor();

    const merged = await fetch(`${server.url}/api/issues/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [card.id, ship.id] }),
    });
    expect(merged.status).toBe(200);
    const listed = await fingerprintsOf(card.id);
    // Most events first.
    const [cardHash, shipHash, ...empty] = listed.map((f) => f.hash);
    expect(listed.map((f) => f.eventCount)).toEqual([2, 1, 0, 0]);

    // No reload: the merge reaches the open issue over the stream, and the list counts again.
    await section().getByRole('heading', { name: 'Fingerprints (4)' }).waitFor();
    await rowOf(empty[1]!).waitFor();
    await expect(section().locator('[data-testid="fingerprint-events"]').allTextContents()).resolves.toEqual(['2 events', '1 event', '0 events', '0 events']);
    await expect(rowOf(shipHash!).locator('a.latest').textContent()).resolves.toBe('RangeError: failed in shipOrder');
    await expect(rowOf(shipHash!).locator('time').getAttribute('datetime')).resolves.toBe(new Date((now - 90) * 1000).toISOString());
    await expect(rowOf(shipHash!).locator('time').textContent()).resolves.toBe('1min ago');
    await expect(rowOf(cardHash!).locator('a.latest').textContent()).resolves.toBe('TypeError: failed in chargeCard');

    // A hash without events cannot be chosen, and says why.
    for (const hash of empty) {
      const box = rowOf(hash!).getByRole('checkbox', { name: `Select fingerprint ${hash}` });
      await expect(box.isDisabled()).resolves.toBe(true);
      await expect(rowOf(hash!).getAttribute('title')).resolves.toMatch(/^No events of this issue were grouped by this fingerprint — it matched alongside another one\./);
      await box.click({ force: true });
      await expect(box.isChecked()).resolves.toBe(false);
    }
    const button = section().getByRole('button', { name: /^Unmerge/ });
    await expect(button.isDisabled()).resolves.toBe(true);
  });

  it('asks before unmerging, then opens the new issue with the moved events', async () => {
    const survivorId = Number(/issues\/(\d+)$/.exec(ui.url())![1]);
    const shipHash = (await fingerprintsOf(survivorId)).find((f) => f.eventCount === 1)!.hash;
    await rowOf(shipHash).getByRole('checkbox').check();
    const button = section().getByRole('button', { name: 'Unmerge 1 selected' });

    // Declining the question changes nothing.
    const asked: string[] = [];
    ui.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await button.click();
    await expect.poll(() => asked).toEqual([
      'Unmerge 1 fingerprint? Their 1 event move to a new issue, and new events with these fingerprints go there too.',
    ]);
    expect((await getIssue(server.url, survivorId)).count).toBe(3);
    expect(ui.url()).toMatch(new RegExp(`#/issues/${survivorId}$`));

    ui.once('dialog', (dialog) => void dialog.accept());
    await button.click();
    await ui.waitForURL((url) => /#\/issues\/\d+$/.test(url.hash) && !url.hash.endsWith(`/issues/${survivorId}`));
    const splitId = Number(/issues\/(\d+)$/.exec(ui.url())![1]);
    await section().getByRole('heading', { name: 'Fingerprints (1)' }).waitFor();
    await rowOf(shipHash).waitFor();
    await expect(section().locator('[data-testid="fingerprint-events"]').allTextContents()).resolves.toEqual(['1 event']);
    await expect(ui.locator('.issue-header h1').textContent()).resolves.toBe('RangeError: failed in shipOrder');
    expect((await getIssue(server.url, splitId)).count).toBe(1);
    expect((await getIssue(server.url, survivorId)).count).toBe(2);
  });

  it('logged no page errors', () => {
    expect(uiErrors).toEqual([]);
  });
});
