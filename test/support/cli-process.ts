/** Runs the built headless server (out/main/cli.js) as a child process, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CLI = join(__dirname, '../../out/main/cli.js');

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  /** The exit code (null when killed by a signal), once the process has exited. */
  exited: Promise<number | null>;
}

export interface CliServer extends CliRun {
  url: string;
}

export interface LaunchOptions {
  /** Run as another user (the durability edge tests, where root would ignore file modes). */
  uid?: number;
  gid?: number;
  /** Command and arguments that exec node, e.g. ['prlimit', '--fsize=1048576']. */
  wrapper?: string[];
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export function runCli(args: string[], options: LaunchOptions = {}): CliRun {
  assertBuilt();
  const [command, ...prefix] = options.wrapper ?? [];
  const nodeArgs = [CLI, ...args];
  const child = spawn(command ?? process.execPath, command ? [...prefix, process.execPath, ...nodeArgs] : nodeArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined && { uid: options.uid }),
    ...(options.gid !== undefined && { gid: options.gid }),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then stdout and stderr are drained, so output() holds the last words.
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', (error) => {
      output += `spawn failed: ${error.message}\n`;
      resolve(null);
    });
  });
  return { child, output: () => output, exited };
}

/**
 * Starts the server on port 0 in `dataDir` and resolves once it has printed its whole start-up
 * text. When it does not start, the error carries its exit code (or signal) and its own output.
 */
export async function launchCli(dataDir: string, options: LaunchOptions & { extraArgs?: string[] } = {}): Promise<CliServer> {
  const run = runCli(['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off', ...(options.extraArgs ?? [])], options);
  let ended = false;
  void run.exited.then(() => (ended = true));
  const deadline = Date.now() + 15_000;
  for (;;) {
    // The start-up text is several writes; its last line says it is all there.
    const match = /Stacktray listening on (http:\/\/\S+)[\s\S]*Press Ctrl-C to stop\./.exec(run.output());
    if (match?.[1]) return { ...run, url: match[1] };
    if (ended || Date.now() > deadline) {
      const timedOut = !ended;
      if (timedOut) run.child.kill('SIGKILL');
      const code = await run.exited;
      const how = timedOut
        ? 'was still starting after 15 s and was killed'
        : `exited with ${code === null ? `signal ${run.child.signalCode ?? 'unknown'}` : `code ${code}`}`;
      throw new Error(`the server did not start: it ${how}; its output:\n${run.output() || '(nothing)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function startCli(dataDir: string, extraArgs: string[] = []): Promise<CliServer> {
  return launchCli(dataDir, { extraArgs });
}
