/**
 * What the API refuses, and how it says so: one plain line naming the field and the problem,
 * never a half-saved setting or a silently ignored query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/shared/project';
import { startHarness, type Harness } from '../support/core-harness';

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
