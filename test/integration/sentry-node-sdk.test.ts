import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, EventList, IssueList } from '../../src/shared/api';
import { startHarness, type Harness } from '../support/core-harness';

const run = promisify(execFile);
let harness: Harness;
let issues: IssueList['issues'];

beforeAll(async () => {
  harness = await startHarness();
  await run(process.execPath, [join(__dirname, '../fixtures/apps/node/app.cjs')], {
    env: { ...process.env, DSN: harness.project.dsn },
    timeout: 20_000,
  });
  issues = (await harness.api<IssueList>('/api/issues?sort=count')).body.issues;
}, 40_000);

afterAll(async () => {
  await harness.stop();
});

describe('real @sentry/node traffic', () => {
  it('groups the captured errors and messages into exactly three issues', () => {
    expect(issues.map((issue) => [issue.title, issue.count])).toEqual([
      ['TypeError: Order 2003 has invalid total: expected number, got undefined', 3],
      ['User 456 not found', 2],
      ['RangeError: Invalid discount value', 1],
    ]);
    expect(issues.every((issue) => issue.projectId === harness.project.id)).toBe(true);
  });

  it('stores user, tags, release, environment, breadcrumbs and in-app frames with context', async () => {
    const typeError = issues[0];
    if (!typeError) throw new Error('missing issue');
    expect(typeError).toMatchObject({ userCount: 1, firstRelease: 'app@1.0.0', lastRelease: 'app@1.0.0', level: 'error' });
    expect(typeError.culprit).toMatch(/computeOrderTotal/);
    const events = (await harness.api<EventList>(`/api/issues/${typeError.id}/events`)).body.events;
    expect(events).toHaveLength(3);
    const latest = (await harness.api<EventDetail>(`/api/issues/${typeError.id}/events/latest`)).body;
    const { event } = latest;
    expect(event.user).toMatchObject({ id: 'u-42', email: 'jane@example.com' });
    expect(event.tags).toContainEqual(['feature', 'checkout']);
    expect(event.release).toBe('app@1.0.0');
    expect(event.environment).toBe('test');
    expect(event.sdk?.name).toBe('sentry.javascript.node');
    const crumbs = event.breadcrumbs?.values ?? [];
    expect(crumbs.map((crumb) => crumb.category).slice(0, 2)).toEqual(['navigation', 'http']);
    const frames = event.exception?.values[0]?.stacktrace?.frames ?? [];
    const thrower = frames[frames.length - 1];
    expect(thrower).toMatchObject({ function: 'computeOrderTotal', in_app: true });
    expect(thrower?.context_line).toContain('throw new TypeError');
    expect(thrower?.pre_context?.length).toBeGreaterThan(0);
    expect(latest.previousEventId).toBe(events[1]?.eventId);
    expect(latest.nextEventId).toBeNull();
    expect(latest.grouping.variants.some((variant) => variant.contributes)).toBe(true);
  });
});
