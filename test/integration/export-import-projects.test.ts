/** Export everything from one Stacktray and import it into a fresh data folder. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportDocument, ImportResult, IssueList, ProjectList } from '../../src/shared/api';
import type { Issue } from '../../src/shared/issue';
import type { Project } from '../../src/shared/project';
import { errorEvent, startHarness, type Harness } from '../support/core-harness';

const running: Harness[] = [];
afterEach(async () => {
  for (const harness of running.splice(0)) await harness.stop();
});

async function started(): Promise<Harness> {
  const harness = await startHarness();
  running.push(harness);
  return harness;
}

async function send(harness: Harness, event: Record<string, unknown>, projectId: number): Promise<void> {
  expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }], projectId)).status).toBe(200);
}

/** What must survive the trip: per project (by name), each issue's title, count, users, status and flags. */
async function summary(harness: Harness): Promise<Record<string, [string, number, number, string, boolean, boolean][]>> {
  const projects = (await harness.api<ProjectList>('/api/projects')).body.projects;
  const issues = (await harness.api<IssueList>('/api/issues?status=all&sort=count&limit=100')).body.issues;
  const byProject: Record<string, [string, number, number, string, boolean, boolean][]> = {};
  for (const project of projects) {
    byProject[project.name] = issues
      .filter((issue: Issue) => issue.projectId === project.id)
      .map((issue: Issue): [string, number, number, string, boolean, boolean] => [issue.title, issue.count, issue.userCount, issue.status, issue.isRegression, issue.resolvedInNextRelease])
      .sort((a, b) => a[0].localeCompare(b[0]));
  }
  return byProject;
}

describe('export and import of everything', () => {
  it('brings back the same projects, issues, counts and statuses, and adds nothing the second time', async () => {
    const source = await started();
    const web = (await source.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'web' }) })).body;
    const rules = 'error.type:QuotaExceeded -> quota';
    expect((await source.api(`/api/projects/${web.id}`, { method: 'PATCH', body: JSON.stringify({ fingerprintRules: rules, webhookUrl: 'https://hooks.example.com/x' }) })).status).toBe(200);
    const defaultId = source.project.id;

    for (const user of ['a', 'b', 'c']) await send(source, errorEvent({ type: 'TypeError', fn: 'total', release: '1.0.0', user: { id: user } }), defaultId);
    await send(source, errorEvent({ type: 'RangeError', fn: 'page', release: '1.0.0' }), defaultId);
    await send(source, errorEvent({ type: 'QuotaExceeded', fn: 'save', release: '2.0.0' }), web.id);
    await send(source, errorEvent({ type: 'QuotaExceeded', fn: 'load', release: '2.0.0' }), web.id);
    await send(source, errorEvent({ type: 'SyntaxError', fn: 'parse', release: '2.0.0' }), web.id);

    const all = (await source.api<IssueList>('/api/issues?status=all&limit=100')).body.issues;
    const byType = (type: string) => all.find((issue) => issue.title.startsWith(type)) as Issue;
    const patch = (issue: Issue, body: unknown) => source.api(`/api/issues/${issue.id}`, { method: 'PATCH', body: JSON.stringify(body) });
    await patch(byType('TypeError'), { status: 'resolved', resolveIn: 'next-release' });
    await patch(byType('RangeError'), { status: 'ignored' });
    // A regression: resolved, then seen again.
    await patch(byType('SyntaxError'), { status: 'resolved' });
    await send(source, errorEvent({ type: 'SyntaxError', fn: 'parse', release: '2.0.0' }), web.id);
    const before = await summary(source);
    expect(before['web']).toContainEqual(['SyntaxError: Cannot read properties of undefined', 2, 0, 'unresolved', true, false]);

    const exported = await source.api<ExportDocument>('/api/export');
    expect(exported.body.formatVersion).toBe(2);
    expect(exported.body.projects?.map((p) => [p.name, p.fingerprintRules])).toEqual([['default', ''], ['web', rules]]);

    const fresh = await started();
    const imported = await fresh.api<ImportResult>('/api/import', { method: 'POST', body: JSON.stringify(exported.body) });
    expect(imported.body).toEqual({ issues: 4, events: 8, projects: 1, skipped: { issues: 0, events: 0 }, unreadable: 0 });
    expect(await summary(fresh)).toEqual(before);

    const projects = (await fresh.api<ProjectList>('/api/projects')).body.projects;
    const importedWeb = projects.find((p) => p.name === 'web') as Project;
    expect(importedWeb).toMatchObject({ fingerprintRules: rules, webhookUrl: 'https://hooks.example.com/x' });
    expect(importedWeb.publicKey).not.toBe(web.publicKey);

    // Resolved in the next release survives: the same release stays resolved, a newer one reopens.
    await send(fresh, errorEvent({ type: 'TypeError', fn: 'total', release: '1.0.0' }), projects[0]?.id ?? 0);
    expect((await summary(fresh))['default']?.[1]).toEqual(['TypeError: Cannot read properties of undefined', 4, 3, 'resolved', false, true]);
    await send(fresh, errorEvent({ type: 'TypeError', fn: 'total', release: '1.1.0' }), projects[0]?.id ?? 0);
    expect((await summary(fresh))['default']?.[1]).toEqual(['TypeError: Cannot read properties of undefined', 5, 3, 'unresolved', true, false]);

    const again = await fresh.api<ImportResult>('/api/import', { method: 'POST', body: JSON.stringify(exported.body) });
    expect(again.body).toEqual({ issues: 0, events: 0, projects: 0, skipped: { issues: 4, events: 8 }, unreadable: 0 });
    expect((await fresh.api<IssueList>('/api/issues?status=all&limit=100')).body.issues.reduce((sum, issue) => sum + issue.count, 0)).toBe(10);
    expect((await fresh.api<ProjectList>('/api/projects')).body.projects).toHaveLength(2);
  });

  it('refuses what is not an export with a plain 400', async () => {
    const harness = await started();
    const cases: [unknown, string][] = [
      [errorEvent({}), 'this is not a Stacktray export (no formatVersion)'],
      [[1, 2, 3], 'this is not a Stacktray export (no formatVersion)'],
      [{ formatVersion: 2 }, 'this is not a Stacktray export (no list of issues)'],
      [{ formatVersion: '2', issues: [] }, 'this export has formatVersion "2"; this Stacktray reads versions 1 and 2'],
      [{ formatVersion: 2, issues: [{ title: 'x' }] }, 'issue 1 of the export has no list of events'],
      [{ formatVersion: 2, projects: [{ name: 'x' }], issues: [] }, 'project 1 of the export has no id or name'],
    ];
    for (const [body, detail] of cases) {
      const response = await harness.api<{ detail: string }>('/api/import', { method: 'POST', body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail });
    }
  });

  it('checks an exported project\'s settings as PATCH /api/projects/:id does, and imports nothing when one is refused', async () => {
    const harness = await started();
    const project = (settings: Record<string, unknown>) => ({ formatVersion: 2, projects: [{ id: 5, name: 'web', ...settings }], issues: [{ projectId: 5, events: [errorEvent({})] }] });
    const patched = (settings: Record<string, unknown>) => harness.api<{ detail: string }>(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify(settings) });
    for (const settings of [{ fingerprintRules: 'type:Error -> {{ nonsense\nmessage:"x" ->' }, { webhookUrl: 'https://user:secret@hooks.example.com/x' }]) {
      const refused = await patched(settings);
      expect(refused.status).toBe(400);
      const response = await harness.api<{ detail: string }>('/api/import', { method: 'POST', body: JSON.stringify(project(settings)) });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: `project web of the export: ${refused.body.detail}` });
    }
    expect((await harness.api<ProjectList>('/api/projects')).body.projects.map((p) => p.name)).toEqual(['default']);
    expect((await harness.api<IssueList>('/api/issues?status=all')).body.issues).toEqual([]);
  });
});
