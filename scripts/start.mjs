// `npm start`: builds when the bundle is missing or older than the sources, then runs the
// headless server (out/main/cli.js) in this same process, so Ctrl-C reaches it directly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

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

await import(pathToFileURL(bundle).href);
