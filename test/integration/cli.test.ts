import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli-process';
import { tempDataDir } from '../support/core-harness';

describe('headless server (npm start)', () => {
  it('prints the address and the default project DSN, and stops cleanly on SIGINT', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    const port = new URL(server.url).port;
    expect(server.output()).toMatch(new RegExp(`DSN for project "default" \\(1\\): http://[0-9a-f]{32}@127\\.0\\.0\\.1:${port}/1`));
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { dataDir: string; port: number };
    expect(info).toMatchObject({ dataDir, port: Number(port) });
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Stopping (SIGINT)');
  });

  it('a second process on the same data folder exits with a clear message', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    try {
      const second = runCli(['--port', '0', '--data-dir', dataDir, '--otlp-port', 'off']);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`${dataDir} is in use by another Stacktray process (pid ${server.child.pid})`);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('a lock left by a killed process does not block the restart', async () => {
    const dataDir = tempDataDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dataDir, 'stacktray.lock'), dead.stdout.toString());
    const server = await startCli(dataDir);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('explains a port that is taken and bad flags', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    try {
      const port = new URL(server.url).port;
      const clash = runCli(['--port', port, '--data-dir', tempDataDir(), '--otlp-port', 'off']);
      expect(await clash.exited).toBe(1);
      expect(clash.output()).toContain(`port ${port} is already in use`);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const bad = runCli(['--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--port needs a port number between 0 and 65535, got "eighty"');
  });
});
