// How the headless server is built and launched, for `npm start` (scripts/start.mjs) and the
// bench (scripts/bench/server-process.mjs): one staleness rule, one build command, one command
// line (out/main/cli.js under the Node/V8 flags of scripts/bench/server-flags.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { serverEnv, serverProcessFlags } from './bench/server-flags.mjs';

export { SERVER_NODE_FLAGS } from './bench/server-flags.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(ROOT, 'out', 'main', 'cli.js');
const RENDERER_INDEX = join(ROOT, 'out', 'renderer', 'index.html');
const ELECTRON_VITE = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The bundle is missing (server or UI), or older than a source file or the build config. */
export function bundleIsStale() {
  if (!existsSync(CLI_BUNDLE) || !existsSync(RENDERER_INDEX)) return true;
  const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'electron.vite.config.ts')).mtimeMs);
  return sources > statSync(CLI_BUNDLE).mtimeMs;
}

/**
 * Runs `electron-vite build` when the bundle is stale; returns whether it built. `quiet` keeps
 * the build's progress off stdout (its errors still reach stderr). Throws when the build fails.
 */
export function ensureBuilt({ quiet = false } = {}) {
  if (!bundleIsStale()) return false;
  if (!quiet) console.log('Building Stacktray (electron-vite build)…');
  const build = spawnSync(process.execPath, [ELECTRON_VITE, 'build'], {
    cwd: ROOT,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  if (build.status !== 0) throw new Error('the build failed (electron-vite build); see above');
  return true;
}

/** For runs that must not build (the bench smoke test inside `npm test`, which builds first). */
export function requireBuilt() {
  if (!existsSync(CLI_BUNDLE)) throw new Error('out/main/cli.js is missing: run `npm run build` first');
}

/**
 * Starts the server as a child process: `node <nodeFlags> out/main/cli.js <cliArgs>`, with the
 * server's Node options and environment (server-flags.mjs). The flags must be on the command line (they size the
 * heap), and the C library reads the environment at start, hence a child rather than an import.
 */
export function spawnServer({ nodeFlags, cliArgs = [], stdio, detached = false }) {
  return spawn(process.execPath, [...serverProcessFlags(nodeFlags), CLI_BUNDLE, ...cliArgs], { cwd: ROOT, stdio, detached, env: serverEnv() });
}
