/** Runs the built headless server (out/main/cli.js) as a child process, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CLI = join(__dirname, '../../out/main/cli.js');

export interface CliServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export function runCli(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function startCli(dataDir: string, extraArgs: string[] = []): Promise<CliServer> {
  const run = runCli(['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off', ...extraArgs]);
  const deadline = Date.now() + 15_000;
  for (;;) {
    // The start-up text is several writes; its last line says it is all there.
    const match = /Stacktray listening on (http:\/\/\S+)[\s\S]*Press Ctrl-C to stop\./.exec(run.output());
    if (match?.[1]) return { ...run, url: match[1] };
    if (run.child.exitCode !== null || Date.now() > deadline) {
      run.child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${run.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
