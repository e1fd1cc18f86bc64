/**
 * The live stream outlives the server's idle-connection timeout: heartbeats keep a quiet stream
 * open, so the UI never misses what happens while it would be reconnecting. Runs with a 1.5 s
 * timeout instead of 30 s; before the fix the stream was cut at exactly the timeout.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorEvent, startHarness, type Harness } from '../support/core-harness';

const TIMEOUT_MS = 1_500;
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(undefined, { requestTimeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  await harness.stop();
});

it('a quiet stream stays open past the idle timeout and still delivers the next issue', async () => {
  const controller = new AbortController();
  const response = await fetch(`${harness.core.url}/api/stream`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value);
    }
  })()
    // A connection the server cuts ends the read with "terminated": either way the stream is over.
    .catch(() => undefined)
    .finally(() => (ended = true));

  // Three idle timeouts with nothing to say.
  await new Promise((resolve) => setTimeout(resolve, 3 * TIMEOUT_MS));
  expect(ended).toBe(false);
  expect(text.match(/: heartbeat/g)?.length ?? 0).toBeGreaterThanOrEqual(4);

  expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ type: 'AfterQuiet', value: 'still live' }) }])).status).toBe(200);
  const deadline = Date.now() + 5_000;
  while (!/"title":"AfterQuiet: still live"/.test(text) && Date.now() < deadline && !ended) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(text).toMatch(/event: issue\.created\ndata: \{[^\n]*"title":"AfterQuiet: still live"/);
  // One connection from start to end: a single `ready`, never a reconnect.
  expect(text.match(/event: ready/g)).toHaveLength(1);
  expect(ended).toBe(false);
  controller.abort();
  await reading;
}, 20_000);
