/** Runs the @sentry/node fixture app as a child process: real SDK traffic to the server's DSN. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './server';

const run = promisify(execFile);
export const NODE_APP = join(REPO_ROOT, 'test/e2e/fixtures/node-app/checkout.cjs');

export type NodeAppScenario = 'checkout' | 'inventory' | 'held' | 'hostile';

export async function runNodeApp(dsn: string, scenario: NodeAppScenario, release = '1.0.0'): Promise<string> {
  const { stdout } = await run(process.execPath, [NODE_APP, scenario], {
    cwd: REPO_ROOT,
    env: { ...process.env, SENTRY_DSN: dsn, APP_RELEASE: release },
    timeout: 20_000,
  });
  return stdout;
}
