/**
 * A live-stream subscriber that stops reading is dropped once it is more than
 * MAX_STREAM_BACKLOG_BYTES behind, instead of the server keeping every message for it; one that
 * reads keeps getting everything. Big messages come from real project changes (rules with a
 * 90 KB comment line, each change published to subscribers).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_STREAM_BACKLOG_BYTES } from '../../src/main/api/stream';
import { startHarness, type Harness } from '../support/core-harness';

const CHANGES = 250;
const RULES_BYTES = 90_000;
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.stop();
});

/** A raw subscriber: sends the request, waits for `ready`, then stops reading. */
async function stalledSubscriber(): Promise<Socket> {
  const { port } = new URL(harness.core.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  let head = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('event: ready')) return;
      socket.off('data', onData);
      socket.pause();
      resolve();
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  expect(head).toMatch(/^HTTP\/1\.1 200/);
  return socket;
}

it('drops a subscriber that stopped reading, and keeps one that reads', async () => {
  const stalled = await stalledSubscriber();

  const reading = await fetch(`${harness.core.url}/api/stream`, { headers: { accept: 'text/event-stream' } });
  const reader = (reading.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let received = '';
  const readingDone = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      received += decoder.decode(value, { stream: true });
    }
  })().catch(() => undefined);

  const comment = `# ${'x'.repeat(RULES_BYTES)}`;
  for (let change = 0; change < CHANGES; change++) {
    const response = await harness.api(`/api/projects/${harness.project.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ fingerprintRules: `${comment}\n# change ${change}` }),
    });
    expect(response.status).toBe(200);
  }
  const published = CHANGES * RULES_BYTES;
  expect(published).toBeGreaterThan(10 * MAX_STREAM_BACKLOG_BYTES);

  // The reading subscriber got every change and is still connected.
  const deadline = Date.now() + 10_000;
  while (!received.includes(`# change ${CHANGES - 1}`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(received.match(/event: project\.changed/g)).toHaveLength(CHANGES);

  // The stalled one, once it reads again, gets what its socket held and then the end: the server
  // closed it instead of queueing the rest (over 20 MB) for it.
  let stalledBytes = 0;
  const ended = new Promise<boolean>((resolve) => {
    stalled.on('data', (chunk: Buffer) => (stalledBytes += chunk.length));
    stalled.once('close', () => resolve(true));
    setTimeout(() => resolve(false), 10_000);
  });
  stalled.resume();
  expect(await ended).toBe(true);
  expect(stalledBytes).toBeLessThan(published / 2);

  await reader.cancel();
  await readingDone;
}, 60_000);
