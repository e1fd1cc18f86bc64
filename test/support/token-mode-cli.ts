/**
 * The built headless server listening beyond loopback, as `npm start -- --host <address>` runs it:
 * it prints its API token. 127.0.0.2 is loopback to the kernel (nothing is opened to the network)
 * but not one of Stacktray's loopback names, so it runs in token mode.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// STACKTRAY_E2E_CLI points the tests at another build of the headless entry, as in test/e2e/helpers/server.ts.
const CLI = process.env.STACKTRAY_E2E_CLI ?? join(__dirname, '../../out/main/cli.js');
export const TOKEN_MODE_HOST = '127.0.0.2';

export interface TokenModeServer {
  url: string;
  port: number;
  dsn: string;
  token: string;
  output: () => string;
  stop(): Promise<void>;
}

const STARTED = /Stacktray listening on (http:\/\/\S+)[\s\S]*?DSN for project [^\n]*: (http\S+)[\s\S]*?the API needs this token[^\n]*: (\S+)[\s\S]*Press Ctrl-C to stop\./;

/** `port` 0 picks a free one; a given port lets a restart keep the browser's origin. */
export async function startTokenModeCli(dataDir: string, port = 0): Promise<TokenModeServer> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const args = [CLI, '--port', String(port), '--data-dir', dataDir, '--otlp-port', 'off', '--host', TOKEN_MODE_HOST];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    }
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = STARTED.exec(output);
    if (match?.[1] && match[2] && match[3]) {
      const url = match[1];
      return { url, port: Number(new URL(url).port), dsn: match[2], token: match[3], output: () => output, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
