/**
 * Where forwarding meets source maps and releases from git: a project with an upstream gets its
 * events resolved, given context and a release here, but the upstream receives what the SDK sent.
 * Real parts: an esbuild bundle with a linked map in a git repository, the real @sentry/node SDK,
 * a recording upstream, all on 127.0.0.1:0.
 */
import { execFile, execFileSync } from 'node:child_process';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, ExportDocument, ImportResult, IssueList, ProjectList } from '../../../src/shared/api';
import type { StackFrame } from '../../../src/shared/event';
import { buildFixtureApp, type BuiltApp } from '../../fixtures/sourcemaps/build-app.mjs';
import { randomHex, startHarness, tempDataDir, waitFor, type Harness } from '../../support/core-harness';
import { startRecordingUpstream, type RecordedRequest, type RecordingUpstream } from '../forwarding/recording-upstream';

const run = promisify(execFile);
const RUNNER = join(__dirname, '../../fixtures/sourcemaps/run-bundle.cjs');

let harness: Harness;
let up: RecordingUpstream;
let app: BuiltApp;
let head: string;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: app.root,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).trim();
}

/** The event items of an envelope, as their bytes. */
function eventItems(body: Buffer): string[] {
  const items: string[] = [];
  let at = body.indexOf(0x0a) + 1;
  while (at > 0 && at < body.length) {
    const end = body.indexOf(0x0a, at);
    const header = JSON.parse(body.toString('utf8', at, end)) as { type: string; length?: number };
    // Without a length, the payload runs to the next newline.
    const length = header.length ?? (body.indexOf(0x0a, end + 1) === -1 ? body.length : body.indexOf(0x0a, end + 1)) - end - 1;
    const payload = body.subarray(end + 1, end + 1 + length);
    if (header.type === 'event') items.push(payload.toString('utf8'));
    at = end + 1 + length + 1;
  }
  return items;
}

async function forwardedEvent(eventId: string): Promise<{ request: RecordedRequest; text: string }> {
  return waitFor(() => {
    for (const request of up.requests) {
      const text = eventItems(request.body).find((item) => item.includes(eventId));
      if (text) return { request, text };
    }
    return undefined;
  });
}

beforeAll(async () => {
  const workDir = realpathSync(tempDataDir('stacktray-seams-'));
  app = await buildFixtureApp(join(workDir, 'app'));
  // A bundled app as it usually is: sources committed, the build output ignored.
  writeFileSync(join(app.root, '.gitignore'), 'dist/\n');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  head = git('rev-parse', 'HEAD');
  up = await startRecordingUpstream(() => ({ status: 200, body: '{}' }));
  harness = await startHarness(tempDataDir(), { forwarding: { retryBaseMs: 50, retryMaxMs: 300, timeoutMs: 2_000 } });
  expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [workDir] }) })).status).toBe(200);
  const upstreamDsn = `http://0123456789abcdef0123456789abcdef@127.0.0.1:${up.port}/7`;
  expect((await harness.api(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify({ upstreamDsn }) })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
  await up?.stop();
});

function appFrames(frames: StackFrame[] | undefined): StackFrame[] {
  return (frames ?? []).filter((frame) => frame.in_app !== false && !(frame.abs_path ?? '').startsWith('node:'));
}

describe('a forwarded project whose events are source-mapped and given a git release', () => {
  let sdkEventId: string;
  let sentFrames: StackFrame[];

  it('stores the envelope endpoint event resolved, with the repository\'s commit, and forwards the SDK\'s frames', async () => {
    await run(process.execPath, [RUNNER], { env: { ...process.env, DSN: harness.project.dsn, BUNDLE: app.bundle, RELEASE: '' }, timeout: 20_000 });
    const issue = await waitFor(async () => (await harness.api<IssueList>('/api/issues')).body.issues.find((candidate) => candidate.title.startsWith('RangeError')));
    const stored = (await harness.api<EventDetail>(`/api/issues/${issue.id}/events/latest`)).body.event;
    sdkEventId = stored.event_id;
    // Here: resolved frames, the frames as sent beside them, and the release git gives the sources' folder.
    expect(appFrames(stored.exception?.values[0]?.stacktrace?.frames).at(-1)).toMatchObject({ filename: 'src/cart.js', function: 'applyDiscount', lineno: 7 });
    sentFrames = appFrames(stored.exception?.values[0]?.raw_stacktrace?.frames);
    expect(sentFrames.at(-1)?.filename).toBe(app.bundle);
    expect(stored.release).toBe(head);

    const { text } = await forwardedEvent(sdkEventId);
    const forwarded = JSON.parse(text) as Record<string, unknown>;
    expect(text).not.toContain('raw_stacktrace');
    expect(text).not.toContain('applyDiscount');
    expect(text).not.toContain(head);
    expect(forwarded['release']).toBeUndefined();
  }, 30_000);

  it('forwards a store endpoint event byte for byte, without resolved frames, disk context or a derived release', async () => {
    const eventId = randomHex();
    const frames = sentFrames.map(({ filename, abs_path, function: fn, lineno, colno, in_app }) => ({ filename, abs_path, function: fn, lineno, colno, in_app }));
    const sent = JSON.stringify({
      event_id: eventId,
      platform: 'node',
      timestamp: Date.now() / 1000,
      exception: { values: [{ type: 'RangeError', value: 'Unknown discount code by the store endpoint', stacktrace: { frames } }] },
    });
    const response = await fetch(`${harness.core.url}/api/${harness.project.id}/store/?sentry_key=${harness.project.publicKey}`, { method: 'POST', body: sent, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);

    const stored = (await harness.api<EventDetail>(`/api/events/${eventId}`)).body.event;
    const top = appFrames(stored.exception?.values[0]?.stacktrace?.frames).at(-1);
    expect(top).toMatchObject({ filename: 'src/cart.js', function: 'applyDiscount', context_line: '    throw new RangeError(`Unknown discount code ${code}`);' });
    expect(stored.release).toBe(head);

    const { request, text } = await forwardedEvent(eventId);
    expect(request.path).toBe('/api/7/envelope/');
    expect(text).toBe(sent);
  }, 30_000);

  it('forwards an OTLP exception as the event built from it, before source maps resolved it', async () => {
    const stack = ['RangeError: Unknown discount code over OTLP', ...[...sentFrames].reverse().map((frame) => `    at ${frame.function} (${frame.filename}:${frame.lineno}:${frame.colno})`)].join('\n');
    const body = JSON.stringify({
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } }] },
        scopeSpans: [{
          spans: [{
            traceId: randomHex(),
            spanId: randomHex().slice(0, 16),
            name: 'POST /checkout',
            startTimeUnixNano: String(Date.now() * 1e6),
            endTimeUnixNano: String(Date.now() * 1e6 + 1e6),
            events: [{
              name: 'exception',
              timeUnixNano: String(Date.now() * 1e6),
              attributes: [
                { key: 'exception.type', value: { stringValue: 'RangeError' } },
                { key: 'exception.message', value: { stringValue: 'Unknown discount code over OTLP' } },
                { key: 'exception.stacktrace', value: { stringValue: stack } },
              ],
            }],
            status: { code: 2 },
          }],
        }],
      }],
    });
    const response = await fetch(`${harness.core.url}/api/${harness.project.id}/integration/otlp/v1/traces?sentry_key=${harness.project.publicKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    const issue = await waitFor(async () => (await harness.api<IssueList>('/api/issues?query=OTLP')).body.issues[0]);
    const stored = (await harness.api<EventDetail>(`/api/issues/${issue.id}/events/latest`)).body.event;
    expect(appFrames(stored.exception?.values[0]?.stacktrace?.frames).at(-1)).toMatchObject({ filename: 'src/cart.js', function: 'applyDiscount' });

    const { text } = await forwardedEvent(stored.event_id);
    expect(text).toContain('app.min.js');
    expect(text).not.toContain('raw_stacktrace');
    expect(text).not.toContain('applyDiscount');
    expect(text).not.toContain(head);
  }, 30_000);

  it('exports and imports the events resolved as stored, keeps the upstream, and forwards nothing imported', async () => {
    const exported = await harness.api<ExportDocument>('/api/export');
    expect(exported.status).toBe(200);
    const before = (await harness.api<EventDetail>(`/api/events/${sdkEventId}`)).body.event;
    const fresh = await startHarness(tempDataDir(), { forwarding: { retryBaseMs: 50, retryMaxMs: 300, timeoutMs: 2_000 } });
    try {
      // The exported project is created anew (an existing one of that name keeps its own settings).
      expect((await fresh.api(`/api/projects/${fresh.project.id}`, { method: 'PATCH', body: JSON.stringify({ name: 'local' }) })).status).toBe(200);
      const requestsBefore = up.requests.length;
      const imported = await fresh.api<ImportResult>('/api/import', { method: 'POST', body: JSON.stringify(exported.body) });
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ projects: 1, events: 3, skipped: { events: 0 } });
      const after = (await fresh.api<EventDetail>(`/api/events/${sdkEventId}`)).body.event;
      expect(after.exception).toEqual(before.exception);
      expect(after.release).toBe(head);
      const project = (await fresh.api<ProjectList>('/api/projects')).body.projects.find((candidate) => candidate.upstreamDsn !== null);
      expect(project?.upstreamDsn).toBe(`http://0123456789abcdef0123456789abcdef@127.0.0.1:${up.port}/7`);
      // Anything queued would have gone within the fast retry; nothing was.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(up.requests.length).toBe(requestsBefore);
      expect(project?.forwarding?.queued ?? 0).toBe(0);
    } finally {
      await fresh.stop();
    }
  }, 30_000);
});
