/**
 * The electron-vite build: the main bundle carries the core and only requires Electron, the preload
 * exposes exactly ShellBridge, and the renderer bundle is what the headless server serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core, CoreOptions } from '../../src/main/core/core-types';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import { SHELL_CHANNELS } from '../../src/shared/shell';
import { ensureBuilt, mainBundle, out, preloadBundle, rendererIndex, root } from './built-bundles';

beforeAll(ensureBuilt, 150_000);

/** `require("x")` calls of a CommonJS bundle. */
function requiredModules(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1] ?? '');
}

/** Method names of the ShellBridge interface, read from its declaration. */
function shellBridgeMethods(): string[] {
  const file = join(root, 'src', 'shared', 'shell.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const bridge = source.statements.find((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === 'ShellBridge');
  if (bridge === undefined) throw new Error('ShellBridge not found');
  return bridge.members.map((member) => member.name?.getText(source) ?? '').sort();
}

describe('main bundle', () => {
  it('requires Electron (never bundles it) and the core chunk the headless entry shares', () => {
    const required = requiredModules(mainBundle);
    expect(required).toContain('electron');
    const coreChunk = required.find((name) => /^\.\/chunks\/core-[\w-]+\.js$/.test(name));
    expect(coreChunk).toBeDefined();
    expect(requiredModules(join(out, 'main', 'cli.js'))).toContain(coreChunk);
    const main = readFileSync(mainBundle, 'utf8');
    expect(main).toContain('startCore: require_core.startCore');
    // Electron's own npm entry (which resolves the binary path) must not be inlined.
    expect(main).not.toContain('Electron failed to install correctly');
    for (const file of readdirSync(join(out, 'main', 'chunks'))) {
      expect(requiredModules(join(out, 'main', 'chunks', file)), file).not.toContain('electron');
    }
  });

  it('the core chunk starts under plain Node and serves out/renderer as the desktop window loads it', async () => {
    const chunk = requiredModules(mainBundle).find((name) => name.startsWith('./chunks/core-')) ?? '';
    const bundled = (await import(join(out, 'main', chunk))) as { startCore: (options: CoreOptions) => Promise<Core> };
    // The same options src/main/index.ts gives it, minus Electron.
    const core = await bundled.startCore({
      dataDir: mkdtempSync(join(tmpdir(), 'stacktray-bundle-')),
      port: 0,
      otlpPort: null,
      logLevel: 'silent',
      rendererDir: join(out, 'main', '..', 'renderer'),
    });
    try {
      const page = await fetch(`${core.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(rendererIndex, 'utf8'));
      expect(core.listProjects()).toHaveLength(1);
    } finally {
      await core.stop();
    }
  });

  it('points the window at the preload beside it and the core at out/renderer', () => {
    const main = readFileSync(mainBundle, 'utf8');
    expect(main).toMatch(/join\)\(mainBundleDir, "\.\.", "preload", "index\.js"\)/);
    expect(main).toMatch(/rendererDir: \(0, node_path\.join\)\(__dirname, "\.\.", "renderer"\)/);
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
    expect(main).toMatch(/nodeIntegration: false/);
  });
});

describe('preload bundle', () => {
  /** Runs the preload as Electron's sandbox would, with a recording stand-in for the `electron` module. */
  function loadPreload() {
    const exposed: { name: string; api: Record<string, (...args: unknown[]) => unknown> }[] = [];
    const invoked: unknown[][] = [];
    const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
    const location = { hash: '#/' };
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.push({ name, api }) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve(null);
        },
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, listener),
      },
    };
    const required: string[] = [];
    const sandboxRequire = (name: string): unknown => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    runInNewContext(readFileSync(preloadBundle, 'utf8'), { require: sandboxRequire, location, module: { exports: {} }, exports: {} });
    return { exposed, invoked, listeners, location, required };
  }

  it('exposes exactly the ShellBridge methods as window.stacktray, requiring only electron', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(exposed.map((entry) => entry.name)).toEqual(['stacktray']);
    expect(Object.keys(exposed[0]?.api ?? {}).sort()).toEqual(shellBridgeMethods());
    expect(shellBridgeMethods()).toEqual(['appVersion', 'onOpenIssue', 'openInEditor', 'revealDataFolder']);
  });

  it('maps each method to its own channel and forwards "open issue" to the page', () => {
    const { exposed, invoked, listeners, location } = loadPreload();
    const api = exposed[0]?.api ?? {};
    void api.appVersion?.();
    void api.revealDataFolder?.();
    void api.openInEditor?.('/src/app.ts', 3, 9);
    expect(invoked).toEqual([[SHELL_CHANNELS.appVersion], [SHELL_CHANNELS.revealDataFolder], [SHELL_CHANNELS.openInEditor, '/src/app.ts', 3, 9]]);

    const openIssue = listeners.get(SHELL_CHANNELS.openIssue);
    openIssue?.({}, 12);
    expect(location.hash).toBe('#/issues/12');

    const seen: unknown[] = [];
    const unsubscribe = api.onOpenIssue?.((id: unknown) => seen.push(id)) as () => void;
    openIssue?.({}, 13);
    openIssue?.({}, 'not an id');
    unsubscribe();
    openIssue?.({}, 14);
    expect(seen).toEqual([13]);
    expect(location.hash).toBe('#/issues/14');
  });
});

describe('renderer bundle', () => {
  let headless: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stacktray-build-'));
    headless = spawn(process.execPath, [join(out, 'main', 'cli.js'), '--port', '0', '--otlp-port', 'off', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolveUrl, reject) => {
      let output = '';
      headless?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Stacktray listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolveUrl(match[1]);
      });
      headless?.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      headless?.once('exit', (code) => reject(new Error(`the headless server exited (${code}): ${output}`)));
    });
  }, 30_000);

  afterAll(() => {
    headless?.kill('SIGTERM');
  });

  it('index.html carries the CSP and is served byte for byte by the headless server, with its assets', async () => {
    const html = readFileSync(rendererIndex, 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    // One policy everywhere: the core's header, the window's session header, and the page's meta tag
    // written in at build time (which cannot carry frame-ancestors).
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta).toBe(META_CONTENT_SECURITY_POLICY);
    expect(meta).toContain("script-src 'self'");
    expect(await page.text()).toBe(html);

    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await fetch(`${url}/${asset}`);
      expect(response.status, asset).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(out, 'renderer', asset))), asset).toBe(true);
    }
  });
});
