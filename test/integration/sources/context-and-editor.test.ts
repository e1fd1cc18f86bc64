/**
 * Context from disk and "Open in editor" against a real server: only files inside the allowed
 * source folders are read or opened (a symlink pointing out is refused too), a foreign Origin is
 * refused, and the editor is a real (fake) program that records its arguments.
 */
import { chmodSync, mkdirSync, readFileSync, realpathSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/shared/api';
import type { StackFrame } from '../../../src/shared/event';
import { randomHex, startHarness, tempDataDir, waitFor, type Harness } from '../../support/core-harness';

let harness: Harness;
let allowed: string;
let outside: string;
let editorLog: string;

const SOURCE = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join('\n');

function goEvent(frames: StackFrame[], timestamp = Date.now() / 1000) {
  return {
    event_id: randomHex(),
    platform: 'go',
    timestamp,
    exception: { values: [{ type: 'panic', value: 'boom', stacktrace: { frames } }] },
  };
}

async function send(event: ReturnType<typeof goEvent>): Promise<EventDetail> {
  expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
  return (await harness.api<EventDetail>(`/api/events/${event.event_id}`)).body;
}

beforeAll(async () => {
  const root = realpathSync(tempDataDir('stacktray-sources-'));
  allowed = join(root, 'project');
  outside = join(root, 'elsewhere');
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(join(allowed, 'main.go'), SOURCE);
  writeFileSync(join(allowed, 'old.go'), SOURCE);
  writeFileSync(join(outside, 'secret.go'), SOURCE);
  symlinkSync(join(outside, 'secret.go'), join(allowed, 'link.go'));
  // The fake editor is named like Zed so the editor table passes it `file:line:column`.
  const bin = join(root, 'bin');
  mkdirSync(bin);
  editorLog = join(root, 'editor.log');
  writeFileSync(join(bin, 'zed'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${editorLog}'\n`);
  chmodSync(join(bin, 'zed'), 0o755);
  harness = await startHarness();
  const patch = await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [allowed], editor: join(bin, 'zed') }) });
  expect(patch.status).toBe(200);
});

afterAll(async () => {
  await harness?.stop();
});

describe('context from disk', () => {
  it('reads 5 lines around the frame inside the allowed folders, marked as read from disk, and never stores them', async () => {
    const detail = await send(goEvent([{ abs_path: join(allowed, 'main.go'), function: 'main.run', lineno: 8, in_app: true }]));
    const frame = detail.event.exception?.values[0]?.stacktrace?.frames[0];
    expect(frame).toMatchObject({
      pre_context: ['line 3', 'line 4', 'line 5', 'line 6', 'line 7'],
      context_line: 'line 8',
      post_context: ['line 9', 'line 10', 'line 11', 'line 12', 'line 13'],
      data: { context_from_disk: true },
    });
    expect(frame?.data?.source_changed_after_event).toBeUndefined();
    // The stored payload (raw JSON, exports) is what the SDK sent.
    expect(JSON.stringify(detail.raw)).not.toContain('line 8');
    const exported = await harness.api<string>(`/api/issues/${detail.issueId}/export`);
    expect(JSON.stringify(exported.body)).not.toContain('line 8');
  });

  it('marks lines of a file changed after the event', async () => {
    const eventTime = Date.now() / 1000 - 3600;
    utimesSync(join(allowed, 'old.go'), new Date(), new Date());
    const detail = await send(goEvent([{ abs_path: join(allowed, 'old.go'), function: 'main.old', lineno: 2, in_app: true }], eventTime));
    expect(detail.event.exception?.values[0]?.stacktrace?.frames[0]?.data).toEqual({ context_from_disk: true, source_changed_after_event: true });
  });

  it('reads nothing outside the allowed folders, nor through a symlink that points out', async () => {
    const detail = await send(
      goEvent([
        { abs_path: join(outside, 'secret.go'), function: 'a', lineno: 2, in_app: true },
        { abs_path: join(allowed, 'link.go'), function: 'b', lineno: 2, in_app: true },
        { abs_path: join(allowed, '..', 'elsewhere', 'secret.go'), function: 'c', lineno: 2, in_app: true },
      ]),
    );
    for (const frame of detail.event.exception?.values[0]?.stacktrace?.frames ?? []) {
      expect(frame.context_line).toBeUndefined();
      expect(frame.data).toBeUndefined();
    }
  });
});

describe('open in editor', () => {
  it('runs the editor with file:line:column for a frame of the event, and answers 204', async () => {
    const detail = await send(goEvent([{ abs_path: join(allowed, 'main.go'), function: 'main.run', lineno: 8, colno: 3, in_app: true }]));
    const response = await harness.api('/api/open-in-editor', {
      method: 'POST',
      body: JSON.stringify({ path: join(allowed, 'main.go'), line: 8, column: 3, eventId: detail.eventId }),
    });
    expect(response.status).toBe(204);
    // The shell creates the log before printf writes to it: wait for the whole line.
    const logged = await waitFor(() => {
      const text = existsSync(editorLog) ? readFileSync(editorLog, 'utf8') : '';
      return text.endsWith('\n') ? text : undefined;
    });
    expect(logged).toBe(`${join(allowed, 'main.go')}:8:3\n`);
    // The desktop notification's "Open in editor" targets the same frame.
    expect(harness.core.topInAppFrame(detail.issueId)).toEqual({ path: join(allowed, 'main.go'), line: 8, column: 3, eventId: detail.eventId });
  });

  it('refuses a path outside the allowed folders or through a symlink out (403), a missing file (404), a file not in the event (403)', async () => {
    const post = (body: object) => harness.api<{ detail: string }>('/api/open-in-editor', { method: 'POST', body: JSON.stringify(body) });
    const outsideAnswer = await post({ path: join(outside, 'secret.go'), line: 1 });
    expect(outsideAnswer.status).toBe(403);
    expect(outsideAnswer.body.detail).toBe(`${join(outside, 'secret.go')} is outside the allowed source folders`);
    expect((await post({ path: join(allowed, 'link.go'), line: 1 })).status).toBe(403);
    expect((await post({ path: join(allowed, 'missing.go') })).status).toBe(404);
    const detail = await send(goEvent([{ abs_path: join(allowed, 'main.go'), function: 'x', lineno: 1, in_app: true }]));
    const notInEvent = await post({ path: join(allowed, 'old.go'), eventId: detail.eventId });
    expect(notInEvent.status).toBe(403);
    expect(readFileSync(editorLog, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses a foreign Origin (403)', async () => {
    const response = await harness.api('/api/open-in-editor', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: JSON.stringify({ path: join(allowed, 'main.go'), line: 1 }),
    });
    expect(response.status).toBe(403);
    expect(readFileSync(editorLog, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });
});
