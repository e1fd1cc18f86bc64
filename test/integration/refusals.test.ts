/** Refused ingest requests are counted per project and reason: `GET /api/refusals` and the live stream. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefusalList } from '../../src/shared/refusal';
import { openStream } from '../support/sse';
import { buildEnvelope, errorEvent, startHarness, type Harness } from '../support/core-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.stop();
});

const envelope = () => buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({}) }]);

function post(path: string, body: string | Buffer): Promise<Response> {
  return fetch(`${harness.core.url}${path}`, { method: 'POST', body });
}

async function refusals(): Promise<RefusalList['refusals']> {
  const response = await harness.api<RefusalList>('/api/refusals');
  expect(response.status).toBe(200);
  return response.body.refusals;
}

describe('GET /api/refusals', () => {
  it('counts each kind of refusal under its project (null when the project is unknown)', async () => {
    const { id, publicKey } = harness.project;
    const wrongKey = 'f'.repeat(32);
    for (let i = 0; i < 3; i++) expect((await post(`/api/${id}/envelope/?sentry_key=${wrongKey}`, envelope())).status).toBe(403);
    expect((await post(`/api/999/envelope/?sentry_key=${publicKey}`, envelope())).status).toBe(404);
    expect((await post(`/api/store/?sentry_key=${wrongKey}`, JSON.stringify(errorEvent({})))).status).toBe(403);
    expect((await post(`/api/${id}/envelope/?sentry_key=${publicKey}`, 'not an envelope')).status).toBe(400);
    const huge = JSON.stringify({ ...errorEvent({}), extra: { blob: 'x'.repeat(1_100_000) } });
    expect((await post(`/api/${id}/store/?sentry_key=${publicKey}`, huge)).status).toBe(413);
    await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ rateLimitPerMinute: 1 }) });
    expect((await post(`/api/${id}/envelope/?sentry_key=${publicKey}`, envelope())).status).toBe(200);
    expect((await post(`/api/${id}/envelope/?sentry_key=${publicKey}`, envelope())).status).toBe(429);
    await harness.api(`/api/projects/${id}`, { method: 'PATCH', body: JSON.stringify({ keyEnabled: false }) });
    expect((await post(`/api/${id}/envelope/?sentry_key=${publicKey}`, envelope())).status).toBe(403);

    const listed = await refusals();
    const summary = listed.map((r) => [r.projectId, r.status, r.reason, r.count, r.countLastHour]);
    expect(summary.sort((a, b) => String(a).localeCompare(String(b)))).toEqual(
      [
        [id, 403, 'wrong-key', 3, 3],
        [null, 404, 'unknown-project', 1, 1],
        [null, 403, 'unknown-project', 1, 1],
        [id, 400, 'malformed', 1, 1],
        [id, 413, 'too-large', 1, 1],
        [id, 429, 'rate-limited', 1, 1],
        [id, 403, 'disabled-key', 1, 1],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const wrong = listed.find((r) => r.reason === 'wrong-key');
    expect(wrong?.detail).toBe(`the key from the sentry_key query parameter does not belong to project ${id}`);
    expect(Date.parse(wrong?.lastAt ?? '')).toBeGreaterThanOrEqual(Date.parse(wrong?.firstAt ?? ''));
    expect(listed[0]?.reason).toBe('disabled-key');
  });

  it('sends a refusal message on the live stream', async () => {
    const stream = await openStream(harness.core.url);
    await stream.readUntil(/event: ready/);
    expect((await post(`/api/${harness.project.id}/envelope/?sentry_key=${'0'.repeat(32)}`, envelope())).status).toBe(403);
    const [, data] = await stream.readUntil(/event: refusal\ndata: ([^\n]*)\n/);
    expect((JSON.parse(data ?? '{}') as { refusal: unknown }).refusal).toMatchObject({
      projectId: harness.project.id,
      status: 403,
      reason: 'wrong-key',
      count: 1,
      countLastHour: 1,
    });
    stream.close();
  });
});
