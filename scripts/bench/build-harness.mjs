// Bundles harness-entry.ts (the real TypeScript store/pipeline modules) into one CommonJS file
// with Vite, the project's own bundler, so the in-process parts of the bench can import it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the bundle is written: a worker thread can require it by this path. */
export const HARNESS_BUNDLE = join(here, '..', '..', 'node_modules', '.cache', 'stacktray-bench-harness', 'harness.cjs');

export async function loadHarness() {
  const { build } = await import('vite');
  // Inside node_modules so the bundle resolves better-sqlite3 and friends like the app does.
  const outDir = dirname(HARNESS_BUNDLE);
  await build({
    configFile: false,
    logLevel: 'error',
    root: join(here, '..', '..'),
    build: {
      ssr: join(here, 'harness-entry.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'harness.cjs' } },
    },
    ssr: { external: true },
  });
  return createRequire(import.meta.url)(HARNESS_BUNDLE);
}
