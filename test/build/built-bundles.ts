/**
 * Paths of the electron-vite build under out/, built on first use. `npm test` builds before vitest
 * runs, so out/ is reused; a lone `vitest run test/build` builds it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
export const out = join(root, 'out');
export const mainBundle = join(out, 'main', 'index.js');
export const preloadBundle = join(out, 'preload', 'index.js');
export const rendererIndex = join(out, 'renderer', 'index.html');

export function ensureBuilt(): void {
  if ([mainBundle, preloadBundle, rendererIndex].every((file) => existsSync(file))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'pipe', timeout: 120_000 });
}
