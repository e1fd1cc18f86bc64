import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList } from '../../src/shared/api';
import { startHarness, type Harness } from '../support/core-harness';

const run = promisify(execFile);
let harness: Harness;
let issues: IssueList['issues'];

beforeAll(async () => {
  harness = await startHarness();
  // Debian's python3-sentry-sdk (installed by .ci/run) lives with Debian's /usr/bin/python3: posts gzip JSON to /api/<id>/store/.
  await run('/usr/bin/python3', [join(__dirname, '../fixtures/apps/python/app.py')], {
    env: { ...process.env, DSN: harness.project.dsn },
    timeout: 30_000,
  });
  issues = (await harness.api<IssueList>('/api/issues?sort=count')).body.issues;
}, 45_000);

afterAll(async () => {
  await harness.stop();
});

describe('real sentry_sdk (Python) traffic', () => {
  it('groups into one issue per error shape', () => {
    expect(issues.map((issue) => [issue.title, issue.count]).sort()).toEqual([
      ['Cache warmed in 42 ms', 1],
      ['Invoice inv-9 could not be sent', 1],
      ["KeyError: 'inv-2'", 2],
      ['RuntimeError: could not parse the amount', 1],
    ]);
    expect(issues[0]?.count).toBe(2);
    expect(issues.every((issue) => issue.platform === 'python')).toBe(true);
    expect(issues[0]).toMatchObject({ firstRelease: 'py-app@2.0.0', userCount: 1 });
  });

  it('keeps the chain, the frames with context, the logger and the breadcrumbs', async () => {
    const chained = issues.find((issue) => issue.title.startsWith('RuntimeError'));
    const { event } = (await harness.api<EventDetail>(`/api/issues/${chained?.id}/events/latest`)).body;
    expect(event.exception?.values.map((value) => value.type)).toEqual(['ValueError', 'RuntimeError']);
    const frames = event.exception?.values[1]?.stacktrace?.frames ?? [];
    expect(frames.at(-1)?.context_line).toContain('raise RuntimeError');
    expect(event.breadcrumbs?.values.map((crumb) => crumb.category)).toContain('db');
    const logged = issues.find((issue) => issue.title.startsWith('Invoice'));
    const logEvent = (await harness.api<EventDetail>(`/api/issues/${logged?.id}/events/latest`)).body.event;
    expect(logEvent.logger).toBe('billing');
    expect(logEvent.logentry?.message).toBe('Invoice %s could not be sent');
  });
});
