/**
 * The headless server as `npm start` and the bench launch it (scripts/server-launch.mjs): a child
 * process under the server's V8 flags, Node options and environment (scripts/bench/server-flags.mjs),
 * where a variable or option the caller set keeps the caller's value.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, spawnServer } from '../../scripts/server-launch.mjs';
import { availableParallelism } from 'node:os';
import { SERVER_ENV, serverEnv, serverNodeOptions, serverProcessFlags } from '../../scripts/bench/server-flags.mjs';
import { ensureBuilt } from './built-bundles';

beforeAll(ensureBuilt, 150_000);

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** Starts the built server; resolves with its pid once it listens. */
function startServer(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stacktray-launch-'));
  const child = spawnServer({ nodeFlags: SERVER_NODE_FLAGS, cliArgs: ['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off'], stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stops.push(() => {
    child.kill('SIGTERM');
    return exited;
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code: number | null) => reject(new Error(`server exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(output)) resolve(child.pid!);
    });
  });
}

function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

describe('the server launcher', () => {
  it('adds the server environment where the user has not set it', () => {
    expect(SERVER_ENV).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(serverEnv({ PATH: '/usr/bin' })).toEqual({ PATH: '/usr/bin', MALLOC_ARENA_MAX: '2' });
    expect(serverEnv({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8' });
  });

  it('gives V8 one helper thread fewer than the cores (at most 4), unless the flags name a pool size', () => {
    const node20 = '11.3.244.8-node.33';
    expect(serverNodeOptions(1, node20)).toEqual(['--v8-pool-size=1']);
    expect(serverNodeOptions(2, node20)).toEqual(['--v8-pool-size=1']);
    expect(serverNodeOptions(4, node20)).toEqual(['--v8-pool-size=3']);
    expect(serverNodeOptions(16, node20)).toEqual(['--v8-pool-size=4']);
    expect(serverProcessFlags(['--max-semi-space-size=4'], 2, node20)).toEqual(['--max-semi-space-size=4', '--v8-pool-size=1']);
    expect(serverProcessFlags(['--v8-pool-size=2'], 2, node20)).toEqual(['--v8-pool-size=2']);
  });

  it('frees Maglev jobs on the main thread where V8 has the flag (12 and later), unless the flags say otherwise', () => {
    const node24 = '13.6.233.17-node.37';
    expect(serverNodeOptions(2, node24)).toEqual(['--v8-pool-size=1', '--no-maglev-destroy-on-background']);
    expect(serverNodeOptions(2, '12.4.254.21-node.57')).toEqual(['--v8-pool-size=1', '--no-maglev-destroy-on-background']);
    expect(serverProcessFlags(['--max-semi-space-size=4'], 2, node24)).toEqual(['--max-semi-space-size=4', '--v8-pool-size=1', '--no-maglev-destroy-on-background']);
    expect(serverProcessFlags(['--maglev_destroy_on_background'], 2, node24)).toEqual(['--maglev_destroy_on_background', '--v8-pool-size=1']);
  });

  it.runIf(process.platform === 'linux')('starts the server process under the V8 flags and Node options, with MALLOC_ARENA_MAX', async () => {
    const saved = process.env.MALLOC_ARENA_MAX;
    delete process.env.MALLOC_ARENA_MAX;
    let pid: number;
    try {
      pid = await startServer();
    } finally {
      if (saved !== undefined) process.env.MALLOC_ARENA_MAX = saved;
    }
    expect(environOf(pid).get('MALLOC_ARENA_MAX')).toBe('2');
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const flag of [...SERVER_NODE_FLAGS, ...serverNodeOptions(availableParallelism())]) expect(commandLine).toContain(flag);
    expect(commandLine.filter((arg) => arg.startsWith('--v8-pool-size'))).toHaveLength(1);
  });
});
