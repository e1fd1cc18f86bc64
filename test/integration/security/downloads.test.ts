/** Attachments, exports and the UI page are served so that a browser never runs what they hold. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/shared/api';
import { errorEvent, randomHex, startHarness, type Harness } from '../../support/core-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

function local(method: string, path: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: harness.core.port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('downloads are never rendered as active content', () => {
  async function storeAttachment(filename: string, contentType: string, data: string): Promise<{ eventId: string; id: number }> {
    const eventId = randomHex();
    const response = await harness.sendEnvelope([
      { header: { type: 'event' }, payload: errorEvent({ eventId, fn: 'withAttachment' }) },
      { header: { type: 'attachment', filename, content_type: contentType }, payload: data },
    ]);
    expect(response.status).toBe(200);
    const detail = (await harness.api<EventDetail>(`/api/events/${eventId}`)).body;
    const attachment = detail.attachments[0];
    if (!attachment) throw new Error('attachment not stored');
    return { eventId, id: attachment.id };
  }

  it.each([
    ['page.html', 'text/html', 'application/octet-stream'],
    ['image.svg', 'image/svg+xml', 'application/octet-stream'],
    ['script.js', 'application/javascript', 'application/octet-stream'],
    ['page.xhtml', 'application/xhtml+xml; charset=utf-8', 'application/octet-stream'],
    ['notes.txt', 'text/plain', 'text/plain; charset=utf-8'],
    ['data.json', 'application/json', 'application/json'],
  ])('%s sent as %s is served as %s, as an attachment', async (filename, contentType, served) => {
    const body = '<html><script>alert(document.domain)</script></html>';
    const stored = await storeAttachment(filename, contentType, body);
    const download = await local('GET', `/api/events/${stored.eventId}/attachments/${stored.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe(served);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.body).toBe(body);
  });

  it('a hostile file name cannot break out of Content-Disposition', async () => {
    const filename = 'evil"; filename=x.html\r\nX-Injected: 1\\.html';
    const stored = await storeAttachment(filename, 'text/html', 'x');
    const download = await local('GET', `/api/events/${stored.eventId}/attachments/${stored.id}`);
    expect(download.headers['x-injected']).toBeUndefined();
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="evil_; filename=x\.html__X-Injected: 1_\.html"; filename\*=UTF-8''/);
  });

  it('exports are JSON attachments', async () => {
    const issueId = harness.core.recentIssues(1)[0]?.id;
    for (const path of [`/api/issues/${issueId}/export`, '/api/export']) {
      const answer = await local('GET', path);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="stacktray-(issue-\d+|export)\.json"/);
    }
  });

  it('the UI is served with a restrictive Content-Security-Policy', async (context) => {
    const page = await local('GET', '/');
    if (page.status === 503) context.skip(); // renderer not built in this checkout
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
