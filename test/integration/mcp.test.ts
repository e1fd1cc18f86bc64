/**
 * The MCP tools, driven by the official SDK's client over both transports (stdio: `stacktray mcp`
 * from the build; Streamable HTTP: `/mcp` on the core), against a core fed by real @sentry/node.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issue, IssueList } from '../../src/shared/api';
import { startHarness, type Harness } from '../support/core-harness';
import { assertBuilt, CLI } from '../support/cli-process';
import { rawRequest } from '../support/raw-http';
import { connectMcp, MCP_TRANSPORTS, type McpSession } from '../support/mcp-client';

const run = promisify(execFile);
let harness: Harness;
let typeError: Issue;
let message: Issue;

beforeAll(async () => {
  assertBuilt();
  harness = await startHarness();
  await run(process.execPath, [join(__dirname, '../fixtures/apps/node/app.cjs')], {
    env: { ...process.env, DSN: harness.project.dsn },
    timeout: 20_000,
  });
  const { issues } = (await harness.api<IssueList>('/api/issues?sort=count')).body;
  const titled = (title: string) => {
    const found = issues.find((issue) => issue.title === title);
    if (!found) throw new Error(`no issue "${title}" among: ${issues.map((issue) => `${issue.title} (${issue.count})`).join('; ')}`);
    return found;
  };
  typeError = titled('TypeError: Order 2003 has invalid total: expected number, got undefined');
  message = titled('User 456 not found');
  expect([typeError.count, message.count]).toEqual([3, 2]);
}, 40_000);

afterAll(async () => {
  await harness?.stop();
});

type Text = { content: { type: string; text?: string }[]; isError?: boolean };
const textOf = (result: unknown) => ((result as Text).content ?? []).map((part) => part.text ?? '').join('\n');

describe.each(MCP_TRANSPORTS)('MCP over %s', (transport) => {
  let session: McpSession;
  let client: Client;

  beforeAll(async () => {
    session = await connectMcp(transport, harness.core.url);
    client = session.client;
  }, 20_000);

  afterAll(async () => {
    await session?.close();
  });

  const call = (name: string, args: Record<string, unknown>) => session.call(name, args);

  it("lists sentry-mcp's tool names, with limits in the schema", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'find_projects',
      'get_event_stacktrace',
      'get_issue_breadcrumbs',
      'get_issue_details',
      'get_issue_tag_values',
      'search_events',
      'search_issue_events',
      'search_issues',
      'update_issue',
    ]);
    const search = tools.find((tool) => tool.name === 'search_issues');
    expect(search?.inputSchema.properties?.limit).toMatchObject({ type: 'integer', maximum: 100 });
  });

  it('find_projects and search_issues name the project and the issues with their ids', async () => {
    const projects = await call('find_projects', {});
    expect(projects.text).toContain(`**${harness.project.name}** (projectSlugOrId: \`${harness.project.id}\`)`);
    expect(projects.text).toContain(harness.project.dsn);
    const found = await call('search_issues', { query: 'invalid total', sort: 'freq', projectSlugOrId: String(harness.project.id), organizationSlug: 'any' });
    expect(found.isError).toBe(false);
    expect(found.text).toContain(`**${typeError.id}** TypeError: Order 2003 has invalid total`);
    expect(found.text).toContain('3 events, 1 users');
    expect(found.text).not.toContain('User 456 not found');
    expect(found.text).toContain('Next: call get_issue_details');
  });

  it('get_issue_details gives the exception, the in-app frame with its source line, breadcrumbs, tags and user', async () => {
    const { text, isError } = await call('get_issue_details', { issueId: String(typeError.id) });
    expect(isError).toBe(false);
    expect(text).toContain(`# Issue ${typeError.id}: TypeError: Order 2003 has invalid total`);
    expect(text).toContain('- Events: 3 · Users: 1');
    expect(text).toMatch(/First seen: \S+ \(release app@1\.0\.0\)/);
    expect(text).toContain('**TypeError**: Order 2003 has invalid total: expected number, got undefined');
    expect(text).toMatch(/`computeOrderTotal \(\S*orders\.cjs:4:\d+\)`/);
    expect(text).toContain('4 |     throw new TypeError(`Order ${order.id} has invalid total: expected number, got ${typeof order.total}`);');
    expect(text).toContain('[navigation] GET /cart');
    expect(text).toContain('[http] POST /api/pay → 502');
    expect(text).toContain('feature=checkout');
    expect(text).toContain('id=u-42, email=jane@example.com');
    expect(text).toContain('get_event_stacktrace or get_issue_breadcrumbs with issueId');
    expect(text.length).toBeLessThan(24_500);
  });

  it("takes an issue by its link in Stacktray's UI (sentry-mcp's issueUrl) instead of its id", async () => {
    const byUrl = await call('get_issue_tag_values', { issueUrl: `${harness.core.url}/#/issues/${typeError.id}`, tagKey: 'feature' });
    expect(byUrl.text).toContain(`# Tag \`feature\` of issue ${typeError.id} (3 events)`);
    expect(await call('get_issue_details', {})).toEqual({ isError: true, text: 'give issueId (or issueUrl)' });
    expect(await call('get_issue_details', { issueUrl: 'http://127.0.0.1/#/projects' })).toEqual({
      isError: true,
      text: 'no issue id in issueUrl http://127.0.0.1/#/projects',
    });
  });

  it('get_event_stacktrace lists the in-app frames first; get_issue_breadcrumbs the crumbs oldest first', async () => {
    const stack = await call('get_event_stacktrace', { issueId: typeError.id });
    const frames = stack.text.split('\n').filter((line) => line.startsWith('- `') || line.startsWith('- [system]'));
    expect(frames[0]).toMatch(/computeOrderTotal/);
    expect(frames[1]).toMatch(/processOrder/);
    expect(frames.findIndex((line) => line.includes('[system]'))).toBeGreaterThan(1);
    const crumbs = await call('get_issue_breadcrumbs', { issueId: typeError.id });
    expect(crumbs.text.indexOf('GET /cart')).toBeLessThan(crumbs.text.indexOf('POST /api/pay → 502'));
  });

  it('get_issue_tag_values counts each value; search_issue_events and search_events list events', async () => {
    const tags = await call('get_issue_tag_values', { issueId: typeError.id, tagKey: 'feature' });
    expect(tags.text).toContain('# Tag `feature` of issue');
    expect(tags.text).toContain('- `checkout`: 3 (100%)');
    const events = await call('search_issue_events', { issueId: typeError.id, limit: 2 });
    expect(events.text).toContain(`# Events of issue ${typeError.id} (2)`);
    const infos = await call('search_events', { query: 'level:info' });
    expect(infos.text).toContain('(2)');
    expect(infos.text).toContain('User 456 not found');
    expect(infos.text).toContain('User 123 not found');
    expect(infos.text).not.toContain('TypeError');
  });

  it('update_issue changes the status the HTTP API reports', async () => {
    const target = transport === 'stdio' ? message : typeError;
    const resolved = await call('update_issue', { issueId: target.id, status: 'resolvedInNextRelease' });
    expect(resolved.text).toContain(`Issue ${target.id} is now resolved (until a newer release sends it again)`);
    expect((await harness.api<Issue>(`/api/issues/${target.id}`)).body).toMatchObject({ status: 'resolved', resolvedInNextRelease: true });
    await call('update_issue', { issueId: String(target.id), status: 'ignored' });
    expect((await harness.api<Issue>(`/api/issues/${target.id}`)).body.status).toBe('ignored');
    await call('update_issue', { issueId: target.id, status: 'unresolved' });
    expect((await harness.api<Issue>(`/api/issues/${target.id}`)).body.status).toBe('unresolved');
  });

  it('unknown ids, wrong types and huge limits are tool errors with one-line reasons', async () => {
    expect(await call('get_issue_details', { issueId: 99999 })).toEqual({ isError: true, text: 'issue 99999 does not exist' });
    expect(await call('update_issue', { issueId: '99999', status: 'resolved' })).toEqual({ isError: true, text: 'issue 99999 does not exist' });
    expect(await call('get_event_stacktrace', { issueId: typeError.id, eventId: 'f'.repeat(32) })).toEqual({
      isError: true,
      text: `event ${'f'.repeat(32)} does not exist`,
    });
    const huge = await call('search_issues', { query: '', limit: 100_000 });
    expect(huge.isError).toBe(true);
    expect(huge.text).toMatch(/limit: Too big: expected number to be <=100/);
    const wrongType = await call('search_issue_events', { issueId: { id: 1 } });
    expect(wrongType.isError).toBe(true);
    expect(wrongType.text).toMatch(/issueId/);
    const badStatus = await call('update_issue', { issueId: typeError.id, status: 'deleted' });
    expect(badStatus.isError).toBe(true);
    expect(badStatus.text).toMatch(/status/);
    expect(badStatus.text.split('\n')).toHaveLength(1);
  });
});

describe('MCP over stdio without a server', () => {
  it('says no Stacktray is running and how to start one, as a tool error', async () => {
    const client = new Client({ name: 'stacktray-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--url', 'http://127.0.0.1:1'], stderr: 'ignore' }));
    try {
      const result = (await client.callTool({ name: 'search_issues', arguments: { query: '' } })) as Text;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        'no Stacktray answers at http://127.0.0.1:1. Start one with `stacktray serve` (or open the Stacktray app), or pass --url.',
      );
    } finally {
      await client.close();
    }
  }, 20_000);
});

describe('/mcp and the request guard', () => {
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

  it('answers a loopback client, and refuses a foreign Host or Origin as the API does', async () => {
    const port = new URL(harness.core.url).port;
    const ok = await rawRequest(harness.core.url, 'POST', '/mcp', { ...headers, host: `127.0.0.1:${port}` }, initialize);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('"serverInfo":{"name":"stacktray"');
    const foreignHost = await rawRequest(harness.core.url, 'POST', '/mcp', { ...headers, host: `evil.example:${port}` }, initialize);
    expect(foreignHost).toMatchObject({ status: 403 });
    expect(JSON.parse(foreignHost.body)).toEqual({ detail: 'Stacktray answers only to loopback host names (127.0.0.1, localhost)' });
    const api = await rawRequest(harness.core.url, 'GET', '/api/issues', { host: `evil.example:${port}` });
    expect(api.status).toBe(403);
    const foreignOrigin = await rawRequest(
      harness.core.url,
      'POST',
      '/mcp',
      { ...headers, host: `127.0.0.1:${port}`, origin: 'https://evil.example' },
      initialize,
    );
    expect(foreignOrigin.status).toBe(403);
    expect(JSON.parse(foreignOrigin.body)).toEqual({ detail: "requests from https://evil.example may not change Stacktray's data" });
  });
});

describe('/mcp beyond loopback', () => {
  it('needs the API token, as the API does, and serves the tools with it', async () => {
    const open = await startHarness(undefined, { host: '0.0.0.0' });
    try {
      const token = open.core.apiToken ?? '';
      expect(token).not.toBe('');
      const url = `http://127.0.0.1:${open.core.port}/mcp`;
      const without = new Client({ name: 'stacktray-test', version: '1.0.0' });
      await expect(without.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toThrow("this Stacktray requires its API token (Authorization: Bearer <token>)");
      const client = new Client({ name: 'stacktray-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      try {
        const result = (await client.callTool({ name: 'find_projects', arguments: {} })) as Text;
        expect(textOf(result)).toContain(`(projectSlugOrId: \`${open.project.id}\`)`);
      } finally {
        await client.close();
      }
    } finally {
      await open.stop();
    }
  }, 20_000);
});
