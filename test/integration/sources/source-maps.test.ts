/**
 * Source maps with real parts: an esbuild build (minified, linked map), the real @sentry/node SDK
 * running it, and the same bundle served over HTTP as a browser event's script.
 */
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList } from '../../../src/shared/api';
import type { StackFrame } from '../../../src/shared/event';
import { buildFixtureApp, type BuiltApp } from '../../fixtures/sourcemaps/build-app.mjs';
import { randomHex, startHarness, tempDataDir, waitFor, type Harness } from '../../support/core-harness';

const run = promisify(execFile);
const RUNNER = join(__dirname, '../../fixtures/sourcemaps/run-bundle.cjs');

let harness: Harness;
let workDir: string;
let app: BuiltApp;
let scripts: Server;
let scriptsUrl: string;
let nodeIssueId: number;

async function runBundle(bundle: string, release = ''): Promise<void> {
  await run(process.execPath, [RUNNER], { env: { ...process.env, DSN: harness.project.dsn, BUNDLE: bundle, RELEASE: release }, timeout: 20_000 });
}

async function latestEventWith(type: string, count: number): Promise<{ issueId: number; culprit: string; detail: EventDetail }> {
  const issue = await waitFor(async () => {
    const list = (await harness.api<IssueList>('/api/issues')).body.issues;
    return list.find((candidate) => candidate.title.startsWith(type) && candidate.count >= count);
  });
  const detail = (await harness.api<EventDetail>(`/api/issues/${issue.id}/events/latest`)).body;
  return { issueId: issue.id, culprit: issue.culprit ?? '', detail };
}

function appFrames(frames: StackFrame[] | undefined): StackFrame[] {
  return (frames ?? []).filter((frame) => frame.in_app !== false && !(frame.abs_path ?? '').startsWith('node:'));
}

beforeAll(async () => {
  workDir = realpathSync(tempDataDir('stacktray-maps-'));
  app = await buildFixtureApp(join(workDir, 'app'));
  harness = await startHarness();
  expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [workDir] }) })).status).toBe(200);
  scripts = createServer((request, response) => {
    if (request.url?.startsWith('/assets/app.min.js.map')) response.end(readFileSync(app.map));
    else if (request.url?.startsWith('/assets/app.min.js')) response.end(readFileSync(app.bundle));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => scripts.listen(0, '127.0.0.1', resolve));
  scriptsUrl = `http://127.0.0.1:${(scripts.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await harness?.stop();
  await new Promise((resolve) => scripts?.close(resolve));
});

describe('a minified Node bundle on disk', () => {
  it('resolves to the original file, line, function and source lines from sourcesContent', async () => {
    await runBundle(app.bundle);
    const { detail, culprit, issueId } = await latestEventWith('RangeError', 1);
    nodeIssueId = issueId;
    const exception = detail.event.exception?.values[0];
    const frames = appFrames(exception?.stacktrace?.frames);
    const thrower = frames.at(-1);
    expect(thrower).toMatchObject({
      filename: 'src/cart.js',
      abs_path: join(app.root, 'src/cart.js'),
      function: 'applyDiscount',
      lineno: 7,
      context_line: '    throw new RangeError(`Unknown discount code ${code}`);',
      data: { resolved_with: 'file', sourcemap: app.map },
    });
    expect(thrower?.pre_context).toEqual([
      'const DISCOUNTS = { SPRING: 0.1, STAFF: 0.3 };',
      '',
      'export function applyDiscount(order, code) {',
      '  const rate = DISCOUNTS[code];',
      '  if (rate === undefined) {',
    ]);
    expect(thrower?.post_context?.[0]).toBe('  }');
    const caller = frames.at(-2);
    expect(caller).toMatchObject({ filename: 'src/cart.js', function: 'checkout', lineno: 13 });
    expect(frames.at(-3)).toMatchObject({ filename: 'src/index.js', lineno: 4, function: 'run' });
    // The frames as sent stay beside the resolved ones.
    const raw = appFrames(exception?.raw_stacktrace?.frames).at(-1);
    expect(raw?.filename).toBe(app.bundle);
    expect(raw?.function).not.toBe('applyDiscount');
    expect(raw?.lineno).toBe(1);
    expect(detail.event.errors).toBeUndefined();
    expect(culprit).toContain('applyDiscount');
  });
});

describe('the same bundle served by a local HTTP server', () => {
  it('resolves a browser event whose frames are the script URL', async () => {
    const { detail } = await latestEventWith('RangeError', 1);
    const sent = appFrames(detail.event.exception?.values[0]?.raw_stacktrace?.frames);
    const url = `${scriptsUrl}/assets/app.min.js?v=3f2a`;
    const browserEvent = {
      event_id: randomHex(),
      platform: 'javascript',
      timestamp: Date.now() / 1000,
      exception: {
        values: [
          {
            type: 'RangeError',
            value: 'Unknown discount code in the browser',
            stacktrace: { frames: sent.map((frame) => ({ filename: url, function: frame.function, lineno: frame.lineno, colno: frame.colno, in_app: true })) },
          },
        ],
      },
    };
    const response = await harness.sendEnvelope([{ header: { type: 'event' }, payload: browserEvent }]);
    expect(response.status).toBe(200);
    const stored = (await harness.api<EventDetail>(`/api/events/${browserEvent.event_id}`)).body;
    const frames = stored.event.exception?.values[0]?.stacktrace?.frames ?? [];
    expect(frames.at(-1)).toMatchObject({
      filename: 'src/cart.js',
      abs_path: `${scriptsUrl}/src/cart.js`,
      function: 'applyDiscount',
      lineno: 7,
      context_line: '    throw new RangeError(`Unknown discount code ${code}`);',
      data: { resolved_with: 'dev-server', sourcemap: `${scriptsUrl}/assets/app.min.js.map` },
    });
    expect(stored.event.exception?.values[0]?.raw_stacktrace?.frames.at(-1)?.filename).toBe(url);
  });
});

describe('a second build injected and uploaded with the real sentry-cli, then deleted from disk', () => {
  it('resolves by debug ID, and both builds’ errors land in one issue', async () => {
    const second = await buildFixtureApp(join(workDir, 'app2'), { variant: 2 });
    const cli = join(__dirname, '../../../node_modules/.bin/sentry-cli');
    const env = { ...process.env, SENTRY_URL: harness.core.url, SENTRY_AUTH_TOKEN: 'any-token-on-loopback', SENTRY_ORG: 'local', SENTRY_LOG_LEVEL: 'info' };
    await run(cli, ['sourcemaps', 'inject', join(second.root, 'dist')], { env, timeout: 30_000 });
    const injected = readFileSync(second.bundle, 'utf8');
    const debugId = /\/\/# debugId=([0-9a-f-]{36})/.exec(injected)?.[1];
    expect(debugId).toBeDefined();
    const upload = await run(cli, ['sourcemaps', 'upload', '--project', harness.project.name, join(second.root, 'dist')], { env, timeout: 60_000 });
    expect(`${upload.stdout}${upload.stderr}`).toMatch(/Uploaded files to Sentry|Nothing to upload|Bundled/);
    const listed = (await harness.api<{ bundles: { debugIds: string[]; sourceMaps: number }[] }>(`/api/projects/${harness.project.id}/artifact-bundles`)).body.bundles;
    expect(listed).toHaveLength(1);
    expect(listed[0]?.debugIds).toEqual([debugId]);
    // Off the disk: the map is deleted and the bundle runs from a folder outside the allowed ones.
    const elsewhere = tempDataDir('stacktray-elsewhere-');
    const moved = join(elsewhere, 'app.min.js');
    writeFileSync(moved, injected);
    rmSync(second.root, { recursive: true, force: true });
    await runBundle(moved);
    const { issueId, detail } = await latestEventWith('RangeError', 2);
    expect(issueId).toBe(nodeIssueId);
    expect(detail.event.debug_meta?.images).toContainEqual({ type: 'sourcemap', code_file: moved, debug_id: debugId });
    const thrower = appFrames(detail.event.exception?.values[0]?.stacktrace?.frames).at(-1);
    expect(thrower).toMatchObject({
      filename: 'src/cart.js',
      function: 'applyDiscount',
      lineno: 7,
      context_line: '    throw new RangeError(`Unknown discount code ${code}`);',
      data: { resolved_with: 'debug-id', sourcemap: `debug-id:${debugId}` },
    });
    expect(detail.event.errors).toBeUndefined();
  });
});
