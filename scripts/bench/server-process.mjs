// Starts the server under test as a child process (the real headless Stacktray, or the no-op
// ceiling) and reads its port and the default project's key from what it prints.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'out', 'main', 'cli.js');
const NOOP = join(root, 'scripts', 'bench', 'noop-server.mjs');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the bundle when it is missing or older than the sources (as `npm start` does). */
export function ensureBuilt() {
  if (existsSync(CLI) && newestMtime(join(root, 'src', 'main')) <= statSync(CLI).mtimeMs) return false;
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('the build failed (electron-vite build)');
  return true;
}

/** For runs that must not build (the smoke test inside `npm test`, which builds first). */
export function requireBuilt() {
  if (!existsSync(CLI)) throw new Error('out/main/cli.js is missing: run `npm run build` first');
}

/**
 * kind: 'stacktray' | 'noop'. nodeFlags: V8/Node flags for the server process.
 * Resolves { pid, port, key, exited, stop() } once the server prints its DSN.
 */
export function startServer({ kind, dataDir, nodeFlags = [] }) {
  const args = kind === 'noop' ? [...nodeFlags, NOOP] : [...nodeFlags, CLI, '--port', '0', '--data-dir', dataDir, '--otlp-port', 'off'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
