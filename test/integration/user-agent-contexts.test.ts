/**
 * Browser, OS and device contexts derived from the event's User-Agent, end to end: real
 * @sentry/browser envelopes (test/fixtures/sentry-wire/browser-errors, captured in Chromium) and a
 * hand-built event from desktop Chrome go through a real server; the stored event carries the
 * contexts and the issue list finds the issues by the promoted tags.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList } from '../../src/shared/api';
import type { Issue } from '../../src/shared/issue';
import { errorEvent, randomHex, startHarness, type Harness } from '../support/core-harness';

const BROWSER_ERRORS = join(__dirname, '../fixtures/sentry-wire/browser-errors');
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

interface Captured {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body_base64: string;
}

let harness: Harness;
const chromeEventId = randomHex();

/** Sends a captured request as it was, only addressed to the harness's project and key. */
async function replayToHarness(captured: Captured): Promise<number> {
  const headers = Object.fromEntries(
    Object.entries(captured.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
  );
  const query = new URLSearchParams(captured.query);
  query.set('sentry_key', harness.project.publicKey);
  const path = captured.path.replace(/^\/api\/\d+\//, `/api/${harness.project.id}/`);
  const response = await fetch(`${harness.core.url}${path}?${query}`, {
    method: captured.method,
    headers,
    body: Buffer.from(captured.body_base64, 'base64'),
  });
  return response.status;
}

async function search(query: string): Promise<Issue[]> {
  const { status, body } = await harness.api<IssueList>(`/api/issues?status=all&query=${encodeURIComponent(query)}`);
  expect(status).toBe(200);
  return body.issues;
}

beforeAll(async () => {
  harness = await startHarness();
  const statuses: number[] = [];
  for (const file of readdirSync(BROWSER_ERRORS).sort()) {
    statuses.push(await replayToHarness(JSON.parse(readFileSync(join(BROWSER_ERRORS, file), 'utf8')) as Captured));
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  const chrome = {
    ...errorEvent({ eventId: chromeEventId, type: 'ReferenceError', value: 'cart is not defined', fn: 'renderCart' }),
    platform: 'javascript',
    request: { url: 'https://shop.test/cart', headers: { 'User-Agent': CHROME_WINDOWS } },
  };
  const sent = await harness.sendEnvelope([{ header: { type: 'event' }, payload: chrome }]);
  expect(sent.status).toBe(200);
}, 30_000);

afterAll(async () => {
  await harness.stop();
});

describe('contexts from the User-Agent, through a real server', () => {
  it('a real @sentry/browser event (HeadlessChrome on Linux) is stored with browser and OS contexts', async () => {
    const issues = await search('browser.name:"Chrome Headless"');
    expect(issues.map((issue) => issue.title).sort()).toEqual([
      'Checkout page loaded slowly',
      'Error: unhandled click handler failure',
      "TypeError: Cannot read properties of undefined (reading 'items')",
    ]);
    const latest = await harness.api<EventDetail>(`/api/issues/${issues[0]!.id}/events/latest`);
    const { event } = (await harness.api<EventDetail>(`/api/events/${latest.body.eventId}`)).body;
    expect(event.contexts?.['browser']).toEqual({ type: 'browser', name: 'Chrome Headless', version: '156.0.0' });
    expect(event.contexts?.['os']).toEqual({ type: 'os', name: 'Linux' });
    expect(event.tags).toEqual(expect.arrayContaining([['browser', 'Chrome Headless 156.0.0'], ['os.name', 'Linux']]));
  });

  it('a desktop Chrome event is found with browser.name:Chrome, and only it', async () => {
    const { body } = await harness.api<EventDetail>(`/api/events/${chromeEventId}`);
    expect(body.event.contexts).toEqual({
      browser: { type: 'browser', name: 'Chrome', version: '120.0.0' },
      os: { type: 'os', name: 'Windows', version: '>=10' },
    });
    const found = await search('browser.name:Chrome');
    expect(found.map((issue) => issue.title)).toEqual(['ReferenceError: cart is not defined']);
    expect(found[0]!.id).toBe(body.issueId);
    expect((await search('browser:"Chrome 120.0.0" os:"Windows >=10"')).map((issue) => issue.id)).toEqual([body.issueId]);
    expect(await search('browser.name:Firefox')).toEqual([]);
  });

  it('the issue’s tags list the promoted values with their counts', async () => {
    const { body } = await harness.api<EventDetail>(`/api/events/${chromeEventId}`);
    const detail = await harness.api<{ tags: { key: string; values: { value: string; count: number }[] }[] }>(`/api/issues/${body.issueId}`);
    const tag = (key: string) => detail.body.tags.find((entry) => entry.key === key)?.values;
    expect(tag('browser.name')).toEqual([{ value: 'Chrome', count: 1 }]);
    expect(tag('os')).toEqual([{ value: 'Windows >=10', count: 1 }]);
  });
});
