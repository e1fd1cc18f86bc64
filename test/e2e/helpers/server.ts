/** Starts the real headless server (`node out/main/cli.js`) on a free port with a fresh data folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = resolve(__dirname, '../../..');
// STACKTRAY_E2E_CLI points the tests at another build of the headless entry (e.g. a copy of out/).
const CLI = process.env.STACKTRAY_E2E_CLI ?? join(REPO_ROOT, 'out/main/cli.js');

export interface RunningServer {
  url: string;
  dsn: string;
  dataDir: string;
  output: string[];
  /** `keepData`: leave the data folder for a restart (see `port`). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * `dataDir`: an existing data folder (e.g. filled by the test); by default a fresh one.
 * `port`: a fixed port, e.g. to restart a server where a page expects it; by default a free one.
 */
export async function startServer(dataDir = mkdtempSync(join(tmpdir(), 'stacktray-e2e-')), port = 0): Promise<RunningServer> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--data-dir', dataDir, '--otlp-port', 'off'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const { url, dsn } = await readStartup(child, output);
  return {
    url,
    dsn,
    dataDir,
    output,
    async stop(options) {
      await stopChild(child);
      if (!options?.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function readStartup(child: ChildProcess, output: string[]): Promise<{ url: string; dsn: string }> {
  return new Promise((resolveStartup, reject) => {
    let url: string | null = null;
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(`${line}\n`);
      const listening = /Stacktray listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening?.[1]) url = listening[1];
      const dsn = /^DSN for project .*: (http\S+)$/.exec(line);
      if (url && dsn?.[1]) {
        clearTimeout(timer);
        resolveStartup({ url, dsn: dsn[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('')}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
