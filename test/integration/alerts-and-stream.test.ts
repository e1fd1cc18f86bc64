import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../src/shared/project';
import { openStream } from '../support/sse';
import { errorEvent, startHarness, waitFor, type Harness } from '../support/core-harness';
import { startCli } from '../support/cli-process';
import { buildEnvelope, tempDataDir } from '../support/core-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function send(h: Harness, event: Record<string, unknown>): Promise<void> {
  expect((await h.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
}

describe('alerts', () => {
  it('coalesces a burst: five alerts, then one summary for the rest', async () => {
    // A window longer than the test, however slow the sends under load: the summary comes at stop
    // (the window's timer is the coalescer unit test's).
    harness = await startHarness(undefined, { alertCoalescing: { limit: 5, windowMs: 600_000 } });
    await Promise.all(Array.from({ length: 12 }, (_, n) => send(harness as Harness, errorEvent({ fn: `handler${n}` }))));
    const h = harness;
    await waitFor(() => h.alerts.length >= 5 || undefined);
    expect(h.alerts.map((alert) => alert.kind)).toEqual(['new', 'new', 'new', 'new', 'new']);
    await h.stop();
    expect(h.alerts).toHaveLength(6);
    expect(h.alerts[5]).toMatchObject({ kind: 'summary', suppressed: 7, title: '7 new issues in default (notifications coalesced)', projectId: h.project.id });
  });

  it('posts to the project webhook with a Slack-compatible text, retrying after a failure', async () => {
    const received: Record<string, unknown>[] = [];
    let calls = 0;
    const hook = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls++;
        if (calls === 1) return response.writeHead(500).end();
        received.push(JSON.parse(body) as Record<string, unknown>);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      harness = await startHarness();
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      const patched = await harness.api<Project>(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify({ webhookUrl: url }) });
      expect(patched.body.webhookUrl).toBe(url);
      await send(harness, errorEvent({ type: 'WebhookError', value: 'boom' }));
      await waitFor(() => received.length > 0 || undefined, 8000);
      expect(calls).toBe(2);
      expect(received[0]?.text).toMatch(/^NEW issue \d+ \[default\] WebhookError: boom \(1 event\) http:\/\/127\.0\.0\.1:\d+\/#\/issues\/\d+$/);
      expect(received[0]?.alert).toMatchObject({ kind: 'new', title: 'WebhookError: boom', projectName: 'default' });
    } finally {
      hook.close();
    }
  });

  it('coalesces per project: a burst in one project neither swallows another\'s alert nor reaches its webhook', async () => {
    const received = new Map<string, Record<string, unknown>[]>();
    const hook = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const list = received.get(request.url ?? '') ?? [];
        list.push(JSON.parse(body) as Record<string, unknown>);
        received.set(request.url ?? '', list);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      // A window longer than the test: the summary comes when the core stops (flush), however slow the sends.
      harness = await startHarness(undefined, { alertCoalescing: { limit: 5, windowMs: 600_000 } });
      const h = harness;
      const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      const other = (await h.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'billing' }) })).body;
      for (const [project, path] of [[h.project, '/busy'], [other, '/quiet']] as const) {
        const patched = await h.api(`/api/projects/${project.id}`, { method: 'PATCH', body: JSON.stringify({ webhookUrl: `${base}${path}` }) });
        expect(patched.status).toBe(200);
      }
      for (let n = 0; n < 20; n++) await send(h, errorEvent({ fn: `burst${n}` }));
      expect((await h.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ type: 'BillingError', value: 'only one' }) }], other.id)).status).toBe(200);

      await waitFor(() => h.alerts.length >= 6 || undefined);
      expect(h.alerts).toHaveLength(6);
      await h.stop();
      await waitFor(() => ((received.get('/busy')?.length ?? 0) >= 6 && (received.get('/quiet')?.length ?? 0) >= 1) || undefined);
      expect(h.alerts).toHaveLength(7);
      expect(h.alerts.filter((alert) => alert.projectId === other.id)).toEqual([
        expect.objectContaining({ kind: 'new', title: 'BillingError: only one', projectName: 'billing' }),
      ]);
      const summaries = h.alerts.filter((alert) => alert.kind === 'summary');
      expect(summaries).toEqual([
        expect.objectContaining({ projectId: h.project.id, projectName: 'default', suppressed: 15, title: '15 new issues in default (notifications coalesced)' }),
      ]);
      expect(received.get('/quiet')?.map((body) => body.text)).toEqual([expect.stringMatching(/^NEW issue \d+ \[billing\] BillingError: only one/)]);
      const busy = received.get('/busy') ?? [];
      expect(busy).toHaveLength(6);
      // Deliveries run concurrently: find the summary rather than count on its place.
      const summary = busy.filter((body) => String(body.text).startsWith('SUMMARY'));
      expect(summary).toHaveLength(1);
      expect(summary[0]?.text).toMatch(new RegExp(`^SUMMARY 15 new issues in default \\(notifications coalesced\\) http://127\\.0\\.0\\.1:\\d+/#/\\?project=${h.project.id}$`));
      expect(summary[0]?.url).toMatch(new RegExp(`/#/\\?project=${h.project.id}$`));
    } finally {
      hook.close();
    }
  });

  it('the headless server logs one line per alert', async () => {
    const server = await startCli(tempDataDir());
    try {
      const projects = (await (await fetch(`${server.url}/api/projects`)).json()) as { projects: Project[] };
      const project = projects.projects[0] as Project;
      const body = buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ type: 'LoggedError', value: 'to the console' }) }]);
      const response = await fetch(`${server.url}/api/${project.id}/envelope/?sentry_key=${project.publicKey}`, { method: 'POST', body });
      expect(response.status).toBe(200);
      await waitFor(() => /NEW issue/.test(server.output()) || undefined);
      expect(server.output()).toMatch(/^NEW issue 1 \[default\] LoggedError: to the console \(1 event\)$/m);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe('live stream', () => {
  it('streams issue.created, event.created, alert and issue.updated as server-sent events', async () => {
    harness = await startHarness();
    const h = harness;
    const stream = await openStream(h.core.url);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    expect(stream.corsOrigin).toBeNull();
    const readUntil = (pattern: RegExp) => stream.readUntil(pattern);
    await readUntil(/event: ready/);
    await send(h, errorEvent({ type: 'LiveError', value: 'streamed' }));
    await readUntil(/event: alert/);
    const text = stream.text();
    expect(text).toMatch(/event: issue\.created\ndata: \{"type":"issue\.created","issue":\{[^\n]*"title":"LiveError: streamed"/);
    expect(text).toMatch(/event: event\.created\ndata: /);
    const issueId = Number(/"issue":\{"id":(\d+)/.exec(text)?.[1]);
    await h.api(`/api/issues/${issueId}`, { method: 'PATCH', body: JSON.stringify({ status: 'ignored' }) });
    await readUntil(/event: issue\.updated[^\n]*\ndata: [^\n]*"status":"ignored"/);
    stream.close();
  });
});
