// `npm start`: builds when the bundle is missing or older than the sources, then runs the
// headless server (out/main/cli.js) with the Node/V8 flags of scripts/bench/server-flags.mjs (they size
// the heap, so they must be on the command line: a child process gets them, and this process
// forwards signals to it and exits with its code).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { SERVER_NODE_FLAGS } from './bench/server-flags.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'main', 'cli.js');
const rendererIndex = join(root, 'out', 'renderer', 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const sourcesChanged = () =>
  Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs) > statSync(bundle).mtimeMs;

if (!existsSync(bundle) || !existsSync(rendererIndex) || sourcesChanged()) {
  console.log('Building Stacktray (electron-vite build)…');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('stacktray: the build failed; see above.');
    process.exit(build.status ?? 1);
  }
}

if (SERVER_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  await import(pathToFileURL(bundle).href);
} else {
  // Its own process group, so a terminal's Ctrl-C reaches the server once: through us.
  const server = spawn(process.execPath, [...process.execArgv, ...SERVER_NODE_FLAGS, bundle, ...process.argv.slice(2)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
