/**
 * What the API refuses, and how it says so: one plain line naming the field and the problem,
 * never a half-saved setting or a silently ignored query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueList } from '../../src/shared/api';
import type { Project } from '../../src/shared/project';
import { errorEvent, startHarness, type Harness } from '../support/core-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.stop());

const patchProject = (body: Record<string, unknown>) =>
  harness.api<Project & { detail?: string; ruleErrors?: unknown }>(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify(body) });

describe('fingerprint rules', () => {
  it('refuses invalid rules with 400, naming each bad line and its problem, and keeps the saved ones', async () => {
    expect((await patchProject({ fingerprintRules: 'error.type:Good -> good' })).status).toBe(200);
    const rules = ['error.type:Fine -> fine', 'garbage rule', 'error.type:Foo ->', 'nosuchfield:x -> y', 'message:"unterminated -> z'].join('\n');

    const refused = await patchProject({ fingerprintRules: rules, name: 'renamed' });

    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe(
      'fingerprint rules: line 2: expected "matchers -> fingerprint"; line 3: rule has no fingerprint after "->"; ' +
        'line 4: unknown matcher "nosuchfield"; line 5: unterminated quoted value',
    );
    expect(refused.body.ruleErrors).toEqual([
      { line: 2, message: 'expected "matchers -> fingerprint"' },
      { line: 3, message: 'rule has no fingerprint after "->"' },
      { line: 4, message: 'unknown matcher "nosuchfield"' },
      { line: 5, message: 'unterminated quoted value' },
    ]);
    // Nothing of the refused request was saved.
    const saved = (await harness.api<{ projects: Project[] }>('/api/projects')).body.projects.find((p) => p.id === harness.project.id);
    expect(saved).toMatchObject({ name: 'default', fingerprintRules: 'error.type:Good -> good' });
  });

  it('accepts valid rules, comments and blank lines', async () => {
    const rules = '# group timeouts\n\nerror.type:TimeoutError -> timeouts\nmessage:"*connection refused*" -> {{ default }}, net';
    const saved = await patchProject({ fingerprintRules: rules });
    expect(saved.status).toBe(200);
    expect(saved.body.fingerprintRules).toBe(rules);
  });
});

describe('issue search', () => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const events: [name: string, fn: string, event: Record<string, unknown>][] = [
      ['checkoutError', 'checkout', errorEvent({ fn: 'checkout', release: 'app@1.2.0', environment: 'production', user: { id: 'u1' } })],
      ['cartWarning', 'cart', { ...errorEvent({ fn: 'cart', release: 'web@3.0.0' }), level: 'warning' }],
      ['unreleased', 'nightly', { ...errorEvent({ fn: 'nightly' }), level: 'info', tags: { browser: 'Chrome 120' } }],
    ];
    for (const [name, fn, event] of events) {
      const sent = await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }]);
      expect(sent.status).toBe(200);
      const list = await harness.api<IssueList>(`/api/issues?query=${fn}`);
      ids[name] = list.body.issues[0]?.id ?? 0;
    }
    expect(Object.values(ids).every((id) => id > 0)).toBe(true);
  });

  const search = async (query: string) => {
    const response = await harness.api<IssueList & { detail?: string }>(`/api/issues?status=all&sort=firstSeen&query=${encodeURIComponent(query)}`);
    return { status: response.status, ids: response.body.issues?.map((issue) => issue.id), detail: response.body.detail };
  };
  const named = (...names: string[]) => names.map((name) => ids[name]);

  it("supports Sentry's negation with ! and -", async () => {
    expect(await search('!level:error')).toMatchObject({ status: 200, ids: named('unreleased', 'cartWarning') });
    expect(await search('-level:error')).toMatchObject({ status: 200, ids: named('unreleased', 'cartWarning') });
    expect(await search('!release:app@1.2.0')).toMatchObject({ status: 200, ids: named('unreleased', 'cartWarning') });
    expect(await search('!is:unresolved')).toMatchObject({ status: 200, ids: [] });
  });

  it('supports has: and !has:', async () => {
    expect(await search('has:release')).toMatchObject({ status: 200, ids: named('cartWarning', 'checkoutError') });
    expect(await search('!has:release')).toMatchObject({ status: 200, ids: named('unreleased') });
    expect(await search('has:user')).toMatchObject({ status: 200, ids: named('checkoutError') });
    expect(await search('!has:user has:release')).toMatchObject({ status: 200, ids: named('cartWarning') });
  });

  it('supports * wildcards in values and text', async () => {
    expect(await search('release:app@*')).toMatchObject({ status: 200, ids: named('checkoutError') });
    expect(await search('release:*@3.*')).toMatchObject({ status: 200, ids: named('cartWarning') });
    expect(await search('browser:"Chrome *"')).toMatchObject({ status: 200, ids: named('unreleased') });
    expect(await search('level:warn*')).toMatchObject({ status: 200, ids: named('cartWarning') });
    expect(await search('nigh*ly')).toMatchObject({ status: 200, ids: named('unreleased') });
  });

  it('refuses what it cannot search, saying why', async () => {
    expect(await search('is:bogus')).toEqual({
      status: 400,
      ids: undefined,
      detail: 'query: is:bogus: is: takes unresolved, resolved, ignored, new or regression',
    });
    expect((await search('has:rel*')).detail).toBe('query: has:rel*: has: takes one tag name, without "*"');
  });
});

describe('plain refusals', () => {
  it('refuses a cursor it never gave out', async () => {
    const response = await harness.api<{ detail: string }>('/api/issues?cursor=garbage');
    expect(response).toMatchObject({
      status: 400,
      body: { detail: 'cursor is not one this list gave out: pass the nextCursor of the previous page, or none for the first page' },
    });
    // A real one still pages.
    const first = await harness.api<IssueList>('/api/issues?status=all&limit=1');
    expect(first.body.nextCursor).not.toBeNull();
    expect((await harness.api(`/api/issues?status=all&limit=1&cursor=${first.body.nextCursor}`)).status).toBe(200);
  });

  it('refuses a webhook URL with a user name or password, which fetch would refuse on every delivery', async () => {
    const refused = await patchProject({ webhookUrl: 'http://user:pw@127.0.0.1:9/hook' });
    expect(refused).toMatchObject({
      status: 400,
      body: { detail: 'webhookUrl must not contain a user name or password (user:password@): put a secret in the path or query instead' },
    });
    expect((await patchProject({ webhookUrl: 'http://' })).body.detail).toBe('webhookUrl "http://" is not a valid URL');
    expect((await patchProject({ webhookUrl: 'http://127.0.0.1:9/hook?token=x' })).status).toBe(200);
    expect((await patchProject({ webhookUrl: null })).status).toBe(200);
  });

  it('words schema refusals plainly, on every route', async () => {
    const detail = async (path: string, init?: RequestInit) => (await harness.api<{ detail: string }>(path, init)).body.detail;
    const patch = (body: unknown) => ({ method: 'PATCH', body: JSON.stringify(body) });
    expect(await detail(`/api/projects/${harness.project.id}`, patch({ webhookUrl: 'ftp://example.com' }))).toBe('webhookUrl must be an http:// or https:// URL');
    expect(await detail(`/api/projects/${harness.project.id}`, patch({ webhookUrl: {} }))).toBe('webhookUrl must be a string');
    expect(await detail(`/api/projects/${harness.project.id}`, patch({ name: '' }))).toBe('name must not be empty');
    expect(await detail(`/api/projects/${harness.project.id}`, patch({ colour: 'red' }))).toBe('"colour" is not a field this request takes');
    expect(await detail(`/api/projects/${harness.project.id}`, patch({ publicKey: 'a b' }))).toBe('publicKey must be 1 to 64 letters, digits, "_" or "-"');
    expect(await detail('/api/projects', { method: 'POST', body: JSON.stringify({}) })).toBe('the request body needs "name"');
    expect(await detail('/api/projects/abc', patch({ name: 'x' }))).toBe('id in the URL must be a whole number');
    expect(await detail('/api/issues?limit=0')).toBe('query parameter limit must be at least 1');
    expect(await detail('/api/issues?sort=newest')).toBe('query parameter sort must be one of lastSeen, firstSeen, count, users');
    expect(await detail('/api/issues/bulk', { method: 'POST', body: JSON.stringify({ status: 'resolved', ids: [] }) })).toBe('ids needs at least 1 item');
    expect(await detail('/api/issues/bulk', { method: 'POST', body: JSON.stringify({ status: 'resolved', ids: [1, 'x'] }) })).toBe('ids[1] must be a whole number');
  });
});
