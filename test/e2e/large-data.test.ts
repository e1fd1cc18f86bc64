/**
 * The UI with a big database: 10,000 issues and one issue with 5,000 events, written through the
 * real ingest pipeline and store before the server starts. The list pages (it never renders all
 * issues) and the detail loads one event at a time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DATABASE_FILE } from '../../src/main/core/paths';
import { groupEvent } from '../../src/main/pipeline/grouping';
import { IngestPipeline } from '../../src/main/pipeline/ingest-pipeline';
import { normalizeEvent } from '../../src/main/pipeline/normalize';
import { openStore } from '../../src/main/store';
import type { IncomingEvent } from '../../src/main/ingest/ingest-sink';
import { launchBrowser, openPage } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';
import { listIssues } from './helpers/api';

const ISSUES = 10_000;
const HOT_EVENTS = 5_000;
// Seconds, every event a second apart, ending about now: well within the default retention age.
const START = Math.floor(Date.now() / 1000) - ISSUES - HOT_EVENTS;

let server: RunningServer;
let browser: Browser;
let ui: Page;
let pageErrors: string[];

function incoming(type: string, n: number): IncomingEvent {
  const raw = {
    event_id: n.toString(16).padStart(32, '0'),
    timestamp: START + n,
    platform: 'node',
    level: 'error',
    release: 'big@1.0.0',
    exception: {
      values: [
        {
          type,
          value: `failure number ${n}`,
          stacktrace: { frames: [{ filename: '/srv/app/jobs.js', module: 'jobs', function: `run${type}`, lineno: 10, in_app: true }] },
        },
      ],
    },
  };
  const result = normalizeEvent(raw, { receivedAt: START + n });
  if (!result.ok) throw new Error(result.reason);
  return { event: result.event, payload: JSON.stringify(raw), attachments: [] };
}

async function fillDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stacktray-e2e-large-'));
  const store = openStore(join(dataDir, DATABASE_FILE), () => 'http://127.0.0.1');
  store.ensureDefaultProject();
  const projectId = store.projects.list()[0]?.id ?? 1;
  const pipeline = new IngestPipeline(store, (event) => groupEvent(event), () => undefined);
  const events: IncomingEvent[] = [];
  for (let n = 0; n < HOT_EVENTS; n++) events.push(incoming('HotError', n));
  for (let n = 0; n < ISSUES - 1; n++) events.push(incoming(`Error${n}`, HOT_EVENTS + n));
  for (let at = 0; at < events.length; at += 500) {
    await pipeline.accept({ projectId, events: events.slice(at, at + 500), otherItems: {} });
  }
  // "The store holds them all" below reads only the busiest issue: every issue and event is here.
  expect(store.db.prepare('SELECT count(*) FROM issues').pluck().get()).toBe(ISSUES);
  expect(store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(HOT_EVENTS + ISSUES - 1);
  store.close();
  return dataDir;
}

beforeAll(async () => {
  server = await startServer(await fillDataDir());
  browser = await launchBrowser();
  ({ page: ui, errors: pageErrors } = await openPage(browser, `${server.url}/`));
  ui.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('10,000 issues and an issue with 5,000 events', { timeout: 120_000 }, () => {
  it('the store holds them all', async () => {
    const all = await listIssues(server.url, 'status=all&sort=count&limit=1');
    expect(all.issues[0]).toMatchObject({ title: `HotError: failure number ${HOT_EVENTS - 1}`, count: HOT_EVENTS });
  });

  it('the list renders a page at a time and loads the next one on scroll', async () => {
    const rows = ui.locator('li.row');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(50);
    await rows.last().scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBe(100);
  });

  it('the busy issue opens on its latest event and steps to the oldest, one event at a time', async () => {
    const hot = (await listIssues(server.url, 'status=all&sort=count&limit=1')).issues[0];
    expect(hot).toBeDefined();
    await ui.goto(`${server.url}/#/issues/${hot?.id ?? 0}`);
    const events = ui.locator('dd[title="5000"]');
    await events.waitFor();
    await expect(events.textContent()).resolves.toBe('5k');
    const exception = ui.locator('[data-testid="exception"]');
    await exception.waitFor();
    await expect(exception.locator('.value').textContent()).resolves.toBe(`failure number ${HOT_EVENTS - 1}`);
    await ui.getByRole('button', { name: '« Oldest' }).click();
    await expect.poll(() => exception.locator('.value').textContent()).toBe('failure number 0');
    await expect(exception.count()).resolves.toBe(1);
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
