/** The `stacktray` subcommands from the build, as a developer runs them: tail, run, issues, show, resolve, ignore, --help. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issue, IssueList } from '../../src/shared/api';
import type { Project } from '../../src/shared/project';
import { errorEvent, randomHex, startHarness, tempDataDir, waitFor, type Harness } from '../support/core-harness';
import { assertBuilt, runCli } from '../support/cli-process';

const EXIT_APP = join(__dirname, '../fixtures/apps/node/exit-code.cjs');
const COMMANDS = ['serve', 'mcp', 'tail', 'run', 'issues', 'show', 'resolve', 'ignore'];
let harness: Harness;

beforeAll(async () => {
  assertBuilt();
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(__dirname, '../../out/main/cli.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  return { code, stdout, stderr };
}

describe('stacktray --help and bad input', () => {
  it('every subcommand has --help (exit 0, its own usage line)', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const name of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    const helps = await Promise.all(COMMANDS.map((name) => cli([name, '--help'])));
    helps.forEach((help, index) => {
      expect(help.code).toBe(0);
      expect(help.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: stacktray ${COMMANDS[index]}\\b`));
    });
  }, 60_000);

  it('unknown commands, options and values get one line on stderr and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['frobnicate'], 'stacktray: unknown command "frobnicate" (commands: serve, mcp, tail, run, issues, show, resolve, ignore; see stacktray --help)'],
      [['tail', '--format', 'xml'], 'stacktray tail: --format must be one of human, json, logfmt, md, got "xml" (see stacktray tail --help)'],
      [['issues', '--limit', '5000'], 'stacktray issues: --limit must be 1–100, got "5000" (see stacktray issues --help)'],
      [['show', 'abc'], 'stacktray show: issue id must be a positive number, got "abc" (see stacktray show --help)'],
      [['resolve', '--everything'], 'stacktray resolve: unknown option --everything (see stacktray resolve --help)'],
      [['run'], 'stacktray run: run needs a command after --, e.g. stacktray run -- node app.js (see stacktray run --help)'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((result, index) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`${cases[index]?.[1]}\n`);
    });
  }, 60_000);
});

describe('stacktray tail', () => {
  it('prints an event sent after it started, one JSON object per line', async () => {
    const tail = runCli(['tail', '--format', 'json', '--url', harness.core.url]);
    try {
      await waitFor(() => tail.output().includes(`waiting for events from ${harness.core.url}`) || undefined);
      const first = randomHex();
      const second = randomHex();
      await harness.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ eventId: first, type: 'RangeError', value: 'tail me', release: 'shop@2' }) }]);
      await waitFor(() => tail.output().includes(first) || undefined);
      await harness.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ eventId: second, type: 'SyntaxError', value: 'and me', fn: 'parse' }) }]);
      await waitFor(() => tail.output().includes(second) || undefined);
      const lines = tail
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ eventId: first, title: 'RangeError: tail me', level: 'error', release: 'shop@2', projectId: harness.project.id, newEvents: 1 });
      expect(lines[1]).toMatchObject({ eventId: second, title: 'SyntaxError: and me' });
    } finally {
      tail.child.kill('SIGINT');
    }
    expect(await tail.exited).toBe(0);
  }, 30_000);
});

describe('stacktray run', () => {
  it("gives a real @sentry/node child the server's DSN and returns its exit code", async () => {
    const runId = randomHex().slice(0, 8);
    const result = await cli(['run', '--url', harness.core.url, '--', process.execPath, EXIT_APP], { EXIT_CODE: '3', RUN_ID: runId });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`dsn=${harness.project.dsn} spotlight=${harness.core.url}/stream`);
    const { issues } = (await harness.api<IssueList>(`/api/issues?query=${runId}`)).body;
    expect(issues.map((issue) => [issue.title, issue.count, issue.lastRelease])).toEqual([[`Error: Card declined for run ${runId}`, 1, 'runner@1.0.0']]);
  }, 30_000);

  it('with --project, the error lands in that project once (Spotlight does not copy it into the default project)', async () => {
    const runId = randomHex().slice(0, 8);
    const web = (await harness.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: `web-${runId}` }) })).body;
    const result = await cli(['run', '--url', harness.core.url, '--project', web.name, '--', process.execPath, EXIT_APP], { EXIT_CODE: '0', RUN_ID: runId });
    expect(result.code).toBe(0);
    const { issues } = (await harness.api<IssueList>(`/api/issues?query=${runId}`)).body;
    expect(issues.map((issue) => [issue.projectId, issue.count])).toEqual([[web.id, 1]]);
  }, 30_000);

  it('points an OpenTelemetry exporter configured only by the environment at the project', async () => {
    const runId = randomHex().slice(0, 8);
    const result = await cli(['run', '--url', harness.core.url, '--', process.execPath, join(__dirname, '../fixtures/apps/node/otlp-exception.cjs')], {
      RUN_ID: runId,
    });
    expect(result.code).toBe(0);
    const { issues } = (await harness.api<IssueList>(`/api/issues?query=${runId}`)).body;
    expect(issues.map((issue) => [issue.title, issue.projectId])).toEqual([[`Error: Inventory offline for run ${runId}`, harness.project.id]]);
  }, 30_000);

  it('starts a headless Stacktray for the command when none answers, and stops it after', async () => {
    const dataDir = tempDataDir();
    const result = await cli(['run', '--url', 'http://127.0.0.1:0', '--data-dir', dataDir, '--', process.execPath, EXIT_APP], {
      EXIT_CODE: '0',
      RUN_ID: 'headless',
    });
    expect(result.code).toBe(0);
    const url = /started Stacktray at (http:\/\/127\.0\.0\.1:\d+) for this command/.exec(result.stderr)?.[1];
    expect(url).toBeDefined();
    expect(result.stdout).toContain(`spotlight=${url}/stream`);
    await expect(fetch(`${url}/api/info`)).rejects.toThrow();
    // What the child sent is in the data folder the stopped server used.
    const reopened = await startHarness(dataDir);
    try {
      const { issues } = (await reopened.api<IssueList>('/api/issues')).body;
      expect(issues.map((issue) => issue.title)).toEqual(['Error: Card declined for run headless']);
    } finally {
      await reopened.stop();
    }
  }, 30_000);
});

describe('stacktray issues, show, resolve, ignore', () => {
  let issue: Issue;

  beforeAll(async () => {
    await harness.sendEnvelope([
      {
        header: { type: 'event' },
        payload: {
          ...errorEvent({ type: 'TypeError', value: 'show me the cart', fn: 'loadCart', user: { id: 'u-7' }, tags: { feature: 'cart' } }),
          breadcrumbs: { values: [{ timestamp: Date.now() / 1000, category: 'ui.click', message: 'button#checkout' }] },
          request: { method: 'GET', url: 'http://localhost/cart' },
        },
      },
    ]);
    issue = await waitFor(async () => (await harness.api<IssueList>('/api/issues?query=show%20me%20the%20cart')).body.issues[0]);
  });

  it('issues lists it (json: the API issue; human: id, status, title)', async () => {
    const json = await cli(['issues', '--url', harness.core.url, '--query', 'show me the cart', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(json.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Issue).id)).toEqual([issue.id]);
    const human = await cli(['issues', '--url', harness.core.url, '--query', 'show me the cart']);
    expect(human.stdout).toMatch(new RegExp(`^ *${issue.id}  unresolved error +1  TypeError: show me the cart$`, 'm'));
  }, 20_000);

  it('show prints the exception, frame with source line, breadcrumbs, tags, request and user', async () => {
    const shown = await cli(['show', String(issue.id), '--url', harness.core.url]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('**TypeError**: show me the cart (generic)');
    expect(shown.stdout).toContain('`loadCart (/app/lib/orders.js:42:7)`');
    expect(shown.stdout).toContain('42 |   return order.total.amount;');
    expect(shown.stdout).toContain('[ui.click] button#checkout');
    expect(shown.stdout).toContain('feature=cart');
    expect(shown.stdout).toContain('GET http://localhost/cart');
    expect(shown.stdout).toContain('id=u-7');
    const missing = await cli(['show', '999999', '--url', harness.core.url]);
    expect(missing).toMatchObject({ code: 1, stderr: 'stacktray show: issue 999999 does not exist\n' });
  }, 20_000);

  it('resolve and ignore change the status the API reports; an unknown id exits 1', async () => {
    const resolved = await cli(['resolve', String(issue.id), '--url', harness.core.url]);
    expect(resolved).toMatchObject({ code: 0, stdout: `${issue.id} resolved: TypeError: show me the cart\n` });
    expect((await harness.api<Issue>(`/api/issues/${issue.id}`)).body.status).toBe('resolved');
    const ignored = await cli(['ignore', String(issue.id), '999998', '--url', harness.core.url]);
    expect(ignored.code).toBe(1);
    expect(ignored.stderr).toBe('stacktray ignore: issue 999998 does not exist\n');
    expect((await harness.api<Issue>(`/api/issues/${issue.id}`)).body.status).toBe('ignored');
  }, 20_000);
});
