/**
 * The Node.js setup snippet, pasted as is into an app run with plain `node app.js`: its events
 * carry the app's release (npm_package_version is undefined outside `npm run`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IssueList } from '../../src/shared/api';
import { setupSnippets } from '../../src/renderer/lib/snippets';
import { startHarness, waitFor, type Harness } from '../support/core-harness';

let harness: Harness;
let appDir: string;
beforeEach(async () => {
  harness = await startHarness();
  appDir = mkdtempSync(join(tmpdir(), 'stacktray-snippet-'));
});
afterEach(async () => {
  await harness.stop();
  rmSync(appDir, { recursive: true, force: true });
});

describe('the Node.js snippet', () => {
  it('sends the package.json version as the release under plain `node app.js`', async () => {
    const project = harness.core.listProjects()[0]!;
    const snippet = setupSnippets(project, harness.core.url, null).find((s) => s.id === 'node')!;
    expect(snippet.code).not.toContain('release: process.env.npm_package_version');
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'shop', version: '2.3.4' }));
    writeFileSync(join(appDir, 'app.js'), `${snippet.code}\nSentry.captureException(new Error('from the snippet'));\nSentry.flush(5000);\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: resolve(__dirname, '../../node_modules') };
    delete env.npm_package_version;
    await promisify(execFile)(process.execPath, ['app.js'], { cwd: appDir, env, timeout: 20_000 });
    const issue = await waitFor(async () => (await harness.api<IssueList>('/api/issues?status=all')).body.issues[0]);
    expect(issue).toMatchObject({ title: 'Error: from the snippet', firstRelease: '2.3.4' });
  });
});
