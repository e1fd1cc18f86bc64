/**
 * Replays the real SDK requests in ../shared/fixtures/wire/ (captured from @sentry/node and
 * OpenTelemetry exporters) through the whole pipeline and checks the issues its MANIFEST.md
 * expects, scenario by scenario on a fresh data folder. That folder is not part of this
 * repository: the replay runs where it exists (CI has it) and is skipped on a bare clone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList, ProjectList } from '../../src/shared/api';
import type { Issue } from '../../src/shared/issue';
import { startHarness, type Harness } from '../support/core-harness';
import { sharedFixture } from '../support/shared-fixtures';

const WIRE = sharedFixture('fixtures/wire', 'the wire fixtures replay tests', 'MANIFEST.md') ?? '';
const available = WIRE !== '';

interface CapturedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body_base64: string;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Starts a fresh core whose default project has the key the captures were made with. */
async function replay(scenario: string): Promise<{ harness: Harness; statuses: number[] }> {
  harness = await startHarness();
  const patched = await harness.api(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify({ publicKey: 'abc123' }) });
  expect(patched.status).toBe(200);
  const statuses: number[] = [];
  for (const file of readdirSync(join(WIRE, scenario)).sort()) {
    const captured = JSON.parse(readFileSync(join(WIRE, scenario, file), 'utf8')) as CapturedRequest;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(captured.headers)) {
      if (!['host', 'content-length', 'transfer-encoding', 'connection'].includes(name)) headers[name] = value;
    }
    const response = await fetch(`${harness.core.url}${captured.path}${captured.query ? `?${captured.query}` : ''}`, {
      method: captured.method,
      headers,
      body: Buffer.from(captured.body_base64, 'base64'),
    });
    statuses.push(response.status);
  }
  return { harness, statuses };
}

async function issuesOf(h: Harness, projectId?: number): Promise<Issue[]> {
  const query = projectId === undefined ? '' : `&project=${projectId}`;
  return (await h.api<IssueList>(`/api/issues?status=all&sort=count${query}`)).body.issues;
}

function summary(issues: Issue[]): [string, number][] {
  return issues.map((issue) => [issue.title, issue.count]);
}

describe.skipIf(!available)('wire fixtures replay (../shared/fixtures/wire)', () => {
  it('n1: one TypeError issue for three order ids', async () => {
    const { harness: h, statuses } = await replay('n1');
    expect(statuses).toEqual([200, 200, 200, 200]);
    const issues = await issuesOf(h);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ count: 3, level: 'error', firstRelease: 'app@1.0.0' });
    expect(issues[0]?.title).toMatch(/^TypeError: Order \d+ has invalid total: expected number, got undefined$/);
  });

  it('n2: the same RangeError from two call sites is two issues', async () => {
    const { harness: h } = await replay('n2');
    const issues = await issuesOf(h);
    expect(summary(issues)).toEqual([
      ['RangeError: Invalid discount value', 1],
      ['RangeError: Invalid discount value', 1],
    ]);
    expect(new Set(issues.map((i) => i.culprit)).size).toBe(2);
  });

  it('n3: messages group by parameterized text, not exact text', async () => {
    const { harness: h } = await replay('n3');
    const issues = await issuesOf(h);
    expect(issues.map((i) => i.count)).toEqual([2, 1]);
    expect(issues[0]?.title).toMatch(/^User \d+ not found$/);
    expect(issues[1]).toMatchObject({ title: 'Payment provider latency above threshold', level: 'warning' });
  });

  it('n5: user, tags, contexts, release, environment and six breadcrumbs are stored', async () => {
    const { harness: h } = await replay('n5');
    const issues = await issuesOf(h);
    expect(issues).toHaveLength(1);
    const { event } = (await h.api<EventDetail>(`/api/issues/${issues[0]?.id}/events/latest`)).body;
    expect(event.user).toMatchObject({ id: 'u-42', email: 'jane@example.com' });
    expect(event.tags?.map(([key]) => key)).toEqual(expect.arrayContaining(['feature', 'region']));
    expect(event.contexts?.cart).toBeDefined();
    expect(event.release).toBe('app@1.0.0');
    expect(event.environment).toBe('development');
    const categories = (event.breadcrumbs?.values ?? []).map((crumb) => crumb.category);
    expect(categories).toHaveLength(6);
    expect(categories).toEqual(expect.arrayContaining(['navigation', 'http', 'console', 'custom']));
  });

  it('n6: chained errors are two issues titled by the outermost exception', async () => {
    const { harness: h } = await replay('n6');
    const titles = (await issuesOf(h)).map((i) => i.title).sort();
    expect(titles).toEqual(['Error: outer', 'PaymentDeclinedError: payment for order 5001 could not be completed']);
  });

  it('n7: uncaught exception (fatal) and unhandled rejection are two issues', async () => {
    const { harness: h } = await replay('n7');
    const issues = await issuesOf(h);
    expect(issues.map((i) => [i.title.split(':')[0], i.level]).sort()).toEqual([
      ['Error', 'error'],
      ['TypeError', 'fatal'],
    ]);
    for (const issue of issues) {
      const { event } = (await h.api<EventDetail>(`/api/issues/${issue.id}/events/latest`)).body;
      const exception = event.exception?.values.at(-1);
      expect(exception?.mechanism?.handled).toBe(false);
    }
  });

  it('n9: one issue from both runs; spans and transactions create none', async () => {
    const { harness: h, statuses } = await replay('n9');
    expect(statuses.every((status) => status === 200)).toBe(true);
    const issues = await issuesOf(h);
    expect(summary(issues)).toEqual([['TypeError: Order 9001 has invalid total: expected number, got undefined', 2]]);
    const { event } = (await h.api<EventDetail>(`/api/issues/${issues[0]?.id}/events/latest`)).body;
    expect(event.contexts?.trace?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('n10: logs, sessions and client reports create no issues', async () => {
    const { harness: h } = await replay('n10');
    expect(summary(await issuesOf(h))).toEqual([['TypeError: Order 10001 has invalid total: expected number, got undefined', 1]]);
  });

  it('o1 + o3: OTLP span exceptions and log records land in the checkout service project', async () => {
    const { harness: h, statuses } = await replay('o1');
    expect(statuses).toEqual([200]);
    const projects = (await h.api<ProjectList>('/api/projects')).body.projects;
    const checkout = projects.find((p) => p.name === 'checkout');
    expect(checkout).toBeDefined();
    const issues = await issuesOf(h, checkout?.id);
    expect(summary(issues)).toEqual([
      ['TaxServiceError: tax service unavailable', 2],
      ['InventoryError: SKU A-1 out of stock (requested 2)', 1],
    ]);
    expect(issues[0]).toMatchObject({ firstRelease: '2.4.1' });
    const detail = (await h.api<{ environments: string[] }>(`/api/issues/${issues[0]?.id}`)).body;
    expect(detail.environments).toEqual(['staging']);
  });

  it('o3: the ERROR log record with exception attributes is one issue, the INFO record none', async () => {
    const { harness: h } = await replay('o3');
    const projects = (await h.api<ProjectList>('/api/projects')).body.projects;
    const checkout = projects.find((p) => p.name === 'checkout');
    expect(summary(await issuesOf(h, checkout?.id))).toEqual([['TaxServiceError: tax service unavailable', 1]]);
  });
});
