/**
 * Where the MCP server and the CLI meet source maps and search syntax: an event from a minified
 * esbuild bundle (run under the real @sentry/node SDK) reads with its original frames and source
 * lines, says which frames were resolved, and a query the API refuses gets the API's one-line
 * reason over stdio MCP, HTTP MCP (core services) and `stacktray issues` alike.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueList } from '../../../src/shared/api';
import { buildFixtureApp, type BuiltApp } from '../../fixtures/sourcemaps/build-app.mjs';
import { assertBuilt, CLI } from '../../support/cli-process';
import { startHarness, tempDataDir, waitFor, type Harness } from '../../support/core-harness';
import { connectMcp, MCP_TRANSPORTS, type McpSession } from '../../support/mcp-client';

const run = promisify(execFile);
const RUNNER = join(__dirname, '../../fixtures/sourcemaps/run-bundle.cjs');

let harness: Harness;
let app: BuiltApp;
let issueId: number;
let refusedQuery: string;

beforeAll(async () => {
  assertBuilt();
  const workDir = realpathSync(tempDataDir('stacktray-seams-mcp-'));
  app = await buildFixtureApp(join(workDir, 'app'));
  harness = await startHarness();
  expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [workDir] }) })).status).toBe(200);
  await run(process.execPath, [RUNNER], { env: { ...process.env, DSN: harness.project.dsn, BUNDLE: app.bundle, RELEASE: '' }, timeout: 20_000 });
  issueId = (await waitFor(async () => (await harness.api<IssueList>('/api/issues')).body.issues.find((issue) => issue.title.startsWith('RangeError')))).id;
  const refused = await harness.api<{ detail: string }>('/api/issues?query=is%3Abogus');
  expect(refused.status).toBe(400);
  refusedQuery = refused.body.detail;
  expect(refusedQuery).toMatch(/^query: .*bogus/);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe.each(MCP_TRANSPORTS)('MCP over %s', (transport) => {
  let session: McpSession;
  beforeAll(async () => {
    session = await connectMcp(transport, harness.core.url);
  }, 20_000);
  afterAll(async () => {
    await session?.close();
  });
  const call = (name: string, args: Record<string, unknown>) => session.call(name, args);

  it('get_issue_details and get_event_stacktrace show the resolved frames, their source lines, and what they were resolved from', async () => {
    for (const tool of ['get_issue_details', 'get_event_stacktrace']) {
      const { text, isError } = await call(tool, { issueId: String(issueId) });
      expect(isError).toBe(false);
      expect(text).toMatch(/- `applyDiscount \(src\/cart\.js:7:\d+\)`\n {2}resolved with the source map on disk from `\S+ \(\S+app\.min\.js:1:\d+\)`\n {2}```\n {2}7 \| {5}throw new RangeError\(`Unknown discount code \$\{code\}`\);/);
      expect(text).toContain('- `checkout (src/cart.js:13:');
    }
  });

  it('search_issues with a query the API refuses answers with the API\'s reason', async () => {
    expect(await call('search_issues', { query: 'is:bogus' })).toEqual({ isError: true, text: refusedQuery });
  });
});

describe('the stacktray command', () => {
  it('`show` prints the resolved frames with their source lines', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'show', String(issueId), '--url', harness.core.url], { timeout: 20_000 });
    expect(stdout).toMatch(/- `applyDiscount \(src\/cart\.js:7:\d+\)`\n {2}resolved with the source map on disk from /);
    expect(stdout).toContain('7 |     throw new RangeError(`Unknown discount code ${code}`);');
  });

  it('`issues --query is:bogus` fails with the API\'s one-line reason', async () => {
    const failed = await run(process.execPath, [CLI, 'issues', '--query', 'is:bogus', '--url', harness.core.url], { timeout: 20_000 }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed?.stderr).toContain(refusedQuery);
  });
});
