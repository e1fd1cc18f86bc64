/**
 * Starts out/main/cli.js like test/support/cli-process.ts does, with what the durability edge
 * tests add: another user (uid/gid) or a wrapper command (prlimit) in front of node.
 */
import { spawn } from 'node:child_process';
import { assertBuilt, CLI, type CliServer } from '../../support/cli-process';

export interface LaunchOptions {
  uid?: number;
  gid?: number;
  /** Command and arguments that exec node, e.g. ['prlimit', '--fsize=1048576']. */
  wrapper?: string[];
}

export async function launchCli(dataDir: string, options: LaunchOptions = {}): Promise<CliServer> {
  assertBuilt();
  const args = [CLI, '--port', '0', '--data-dir', dataDir, '--otlp-port', 'off'];
  const [command, ...prefix] = options.wrapper ?? [];
  const child = spawn(command ?? process.execPath, command ? [...prefix, process.execPath, ...args] : args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined && { uid: options.uid }),
    ...(options.gid !== undefined && { gid: options.gid }),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /Stacktray listening on (http:\/\/\S+)/.exec(output);
    if (match?.[1]) return { child, url: match[1], output: () => output, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
