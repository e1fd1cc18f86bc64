// Starts the server under test as a child process (the real headless Stacktray, or a no-op
// ceiling) and reads its port and the default project's key from what it prints.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, spawnServer } from '../server-launch.mjs';

const NOOP = join(ROOT, 'scripts', 'bench', 'noop-server.mjs');

/**
 * kind: 'stacktray' | 'noop' | 'fastify-noop'. nodeFlags: V8/Node flags for the server process.
 * Resolves { pid, port, key, exited, stop() } once the server prints its DSN.
 */
export function startServer({ kind, dataDir, nodeFlags = [] }) {
  const stdio = ['ignore', 'pipe', 'pipe'];
  const child =
    kind === 'noop' || kind === 'fastify-noop'
      ? spawn(process.execPath, [...nodeFlags, NOOP, ...(kind === 'fastify-noop' ? ['--fastify'] : [])], { cwd: ROOT, stdio })
      : spawnServer({ nodeFlags, cliArgs: ['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off'], stdio });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${kind} server did not start in 30 s`)), 30_000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output}\n${stderr}`));
    };
    const earlyExit = (code) => fail(new Error(`${kind} server exited with ${code} before listening`));
    child.once('exit', earlyExit);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      const key = /DSN for project "[^"]*" \(\d+\): http:\/\/([0-9a-f]+)@/.exec(output)?.[1];
      if (!port || !key) return;
      clearTimeout(timer);
      child.off('exit', earlyExit);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        pid: child.pid,
        port: Number(port),
        key,
        exited,
        stderr: () => stderr,
        async stop() {
          child.kill('SIGTERM');
          const result = await exited;
          if (result.code !== 0) throw new Error(`${kind} server stopped with ${result.code ?? result.signal}\n${stderr}`);
        },
      });
    });
  });
}
