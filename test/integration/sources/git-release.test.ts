/**
 * Releases from git with a real repository (git on PATH): events sent without a release get the
 * commit their in-app files are at, and "resolved in the next release" follows the commit graph.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventDetail, IssueList } from '../../../src/shared/api';
import type { Issue } from '../../../src/shared/issue';
import { errorEvent, randomHex, startHarness, tempDataDir, waitFor, type Harness } from '../../support/core-harness';
import { startRecordingUpstream } from '../forwarding/recording-upstream';

let harness: Harness;
let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).trim();
}

function commit(content: string, message: string): string {
  writeFileSync(join(repo, 'src', 'orders.js'), content);
  git('add', '.');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeEach(async () => {
  const parent = realpathSync(tempDataDir('stacktray-git-'));
  repo = join(parent, 'shop');
  mkdirSync(join(repo, 'src'), { recursive: true });
  git('init', '-q', '-b', 'main');
  harness = await startHarness();
  const allowed = await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [parent] }) });
  expect(allowed.status).toBe(200);
});
afterEach(async () => {
  await harness.stop();
});

async function sendFromRepo(options: { release?: string } = {}): Promise<EventDetail> {
  const eventId = randomHex();
  const event = errorEvent({ eventId, file: join(repo, 'src', 'orders.js'), release: options.release });
  const response = await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }]);
  expect(response.status).toBe(200);
  return (await harness.api<EventDetail>(`/api/events/${eventId}`)).body;
}

async function onlyIssue(): Promise<Issue> {
  const { issues } = (await harness.api<IssueList>('/api/issues?status=all')).body;
  expect(issues).toHaveLength(1);
  return issues[0] as Issue;
}

async function resolveInNextRelease(id: number): Promise<void> {
  const response = await harness.api<Issue>(`/api/issues/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'resolved', resolveIn: 'next-release' }) });
  expect(response.body).toMatchObject({ status: 'resolved', resolvedInNextRelease: true });
}

function tag(detail: EventDetail, key: string): string | undefined {
  return detail.event.tags?.find(([name]) => name === key)?.[1];
}

describe('releases from git', () => {
  it('gives events without a release the commit, and resolves per commit along the graph', async () => {
    const first = commit('module.exports = 1;\n', 'first');
    git('branch', 'old');

    const atFirst = await sendFromRepo();
    expect(atFirst.release).toBe(first);
    expect(atFirst.event.release).toBe(first);
    expect(tag(atFirst, 'git.branch')).toBe('main');
    expect(tag(atFirst, 'git.dirty')).toBe('false');
    // A release the SDK sent is kept.
    expect((await sendFromRepo({ release: 'shop@1.0.0' })).release).toBe('shop@1.0.0');

    const issue = await onlyIssue();
    await resolveInNextRelease(issue.id);
    await sendFromRepo();
    expect(await onlyIssue()).toMatchObject({ status: 'resolved', count: 3 });

    const second = commit('module.exports = 2;\n', 'second');
    expect(second).not.toBe(first);
    const atSecond = await sendFromRepo();
    expect(atSecond.release).toBe(second);
    expect(await onlyIssue()).toMatchObject({ status: 'unresolved', isRegression: true, count: 4, lastRelease: second });

    await resolveInNextRelease(issue.id);
    await sendFromRepo();
    expect(await onlyIssue()).toMatchObject({ status: 'resolved', count: 5 });

    // An older commit (an old branch checked out) is not a next release.
    git('checkout', '-q', 'old');
    const atOld = await sendFromRepo();
    expect(atOld.release).toBe(first);
    expect(tag(atOld, 'git.branch')).toBe('old');
    expect(await onlyIssue()).toMatchObject({ status: 'resolved', count: 6 });

    // Back on main with a third commit: newer than the one it was resolved in.
    git('checkout', '-q', 'main');
    const third = commit('module.exports = 3;\n', 'third');
    const atThird = await sendFromRepo();
    expect(atThird.release).toBe(third);
    expect(await onlyIssue()).toMatchObject({ status: 'unresolved', isRegression: true, count: 7 });
  });

  it('tags a work tree with staged changes as dirty and a detached HEAD without a branch', async () => {
    const first = commit('module.exports = 1;\n', 'first');
    expect(tag(await sendFromRepo(), 'git.dirty')).toBe('false');
    writeFileSync(join(repo, 'src', 'orders.js'), 'module.exports = 99;\n');
    git('add', '.');
    const dirty = await sendFromRepo();
    expect(dirty.release).toBe(first);
    expect(tag(dirty, 'git.dirty')).toBe('true');

    git('stash', '-q');
    git('checkout', '-q', '--detach', first);
    const detached = await sendFromRepo();
    expect(detached.release).toBe(first);
    expect(tag(detached, 'git.branch')).toBeUndefined();
  });

  it('leaves events alone whose files are outside the allowed folders or in no repository', async () => {
    commit('module.exports = 1;\n', 'first');
    const outside = await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: [join(repo, 'elsewhere')] }) });
    expect(outside.status).toBe(200);
    const refused = await sendFromRepo();
    expect(refused.release).toBeNull();
    expect(tag(refused, 'git.branch')).toBeUndefined();

    const eventId = randomHex();
    const response = await harness.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ eventId, file: '/nonexistent/app/orders.js' }) }]);
    expect(response.status).toBe(200);
    expect((await harness.api<EventDetail>(`/api/events/${eventId}`)).body.release).toBeNull();
  });

  it('forwards what the SDK sent, without the release and tags derived here', async () => {
    const sha = commit('module.exports = 1;\n', 'first');
    const upstream = await startRecordingUpstream(() => ({ status: 200, body: '{}' }));
    try {
      const set = await harness.api(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify({ upstreamDsn: `http://k@127.0.0.1:${upstream.port}/1` }) });
      expect(set.status).toBe(200);
      expect((await sendFromRepo()).release).toBe(sha);
      const eventId = randomHex();
      const stored = await fetch(`${harness.core.url}/api/${harness.project.id}/store/?sentry_key=${harness.project.publicKey}`, {
        method: 'POST',
        body: JSON.stringify(errorEvent({ eventId, file: join(repo, 'src', 'orders.js') })),
      });
      expect(stored.status).toBe(200);
      expect((await harness.api<EventDetail>(`/api/events/${eventId}`)).body.release).toBe(sha);
      await waitFor(() => upstream.requests.length === 2);
      for (const request of upstream.requests) {
        expect(request.body.toString()).not.toContain(sha);
        expect(request.body.toString()).not.toContain('git.branch');
      }
    } finally {
      await upstream.stop();
    }
  });
});
