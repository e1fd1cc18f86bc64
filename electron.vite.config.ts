import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from './src/shared/content-security-policy';

/** index.html's CSP meta tag comes from the one policy the core and the window also send. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'stacktray-csp-meta',
    transformIndexHtml: (html) => html.replace('%STACKTRAY_CSP%', META_CONTENT_SECURITY_POLICY),
  };
}

/**
 * out/main/cli.js is package.json's `bin`: npm makes it executable when it links or installs it,
 * but each build writes it anew, which would leave an `npm link`ed `stacktray` without its x bit.
 */
function executableCli(): Plugin {
  return {
    name: 'stacktray-executable-cli',
    writeBundle(options, bundle) {
      if (options.dir && 'cli.js' in bundle) chmodSync(join(options.dir, 'cli.js'), 0o755);
    },
  };
}

// Every package stays external in main: better-sqlite3 is a native module that breaks when
// bundled, and the headless entry (cli.js) must run on plain Node with node_modules beside it.
export default defineConfig({
  main: {
    plugins: [executableCli()],
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
        },
        output: {
          // cli.js is package.json's `bin` (the `stacktray` command): it runs as a script.
          banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
          // V8 keeps each module's source text for as long as the process runs, and a source with
          // one character beyond ASCII is kept as UTF-16: twice its size. ASCII only, no comments.
          charset: 'ascii',
          comments: false,
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [svelte(), contentSecurityPolicyMeta()],
    // In `npm run dev` the window loads Vite's dev server; the API stays the core's.
    server: { proxy: { '/api': { target: process.env.STACKTRAY_DEV_API ?? 'http://127.0.0.1:8969' } } },
  },
});
