/** `npm start -- --host 0.0.0.0`: the API needs a token beyond loopback, so the CLI prints it. */
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ProjectList, ServerInfo } from '../../src/shared/api';
import { startCli, type CliServer } from '../support/cli-process';
import { rawRequest } from '../support/raw-http';
import { buildEnvelope, errorEvent, tempDataDir, waitFor } from '../support/core-harness';

const TOKEN_LINE = /the API needs this token \(ingest needs only a DSN\): (\S+)/;

/** The token line is printed after the "listening" line startCli waits for: wait for it too. */
async function printedToken(server: CliServer): Promise<string> {
  const match = await waitFor(() => TOKEN_LINE.exec(server.output()) ?? undefined);
  return match[1] ?? '';
}

describe('headless server on a non-loopback interface', () => {
  it('prints the API token; the API answers 200 with it, 401 without it, and ingest needs only the DSN', async () => {
    const dataDir = tempDataDir();
    let token = '';
    const server = await startCli(dataDir, ['--host', '0.0.0.0']);
    try {
      const port = new URL(server.url).port;
      token = await printedToken(server);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(server.output()).toContain(`curl -H "Authorization: Bearer ${token}" http://127.0.0.1:${port}/api/projects`);
      // Other machines need an address of this one for their DSN.
      const lanAddresses = Object.values(networkInterfaces())
        .flat()
        .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
        .map((address) => address?.address);
      const firstLine = server.output().split('\n').find((line) => line.startsWith('Stacktray listening on'));
      const remoteUrls = lanAddresses.map((address) => `http://${address}:${port}`);
      expect(firstLine).toBe(
        `Stacktray listening on http://127.0.0.1:${port}${remoteUrls.length > 0 ? ` and, from other machines, ${remoteUrls.join(', ')}` : ''} (all interfaces, 0.0.0.0)`,
      );
      const dsnLine = /DSN for project "default" \(1\): http:\/\/(\w+)@127\.0\.0\.1:\d+\/1\n(.*)\n/.exec(server.output());
      const dsnKey = dsnLine?.[1] ?? '';
      if (lanAddresses.length > 0) {
        expect(dsnLine?.[2]).toBe(`  from other machines: ${lanAddresses.map((address) => `http://${dsnKey}@${address}:${port}/1`).join(', ')}`);
      }

      // Connect over loopback, but as another machine would name this one (fetch drops a Host header).
      const base = `http://127.0.0.1:${port}`;
      const headers = { host: `192.0.2.10:${port}` };
      const bearer = { ...headers, authorization: `Bearer ${token}` };
      const withToken = await rawRequest(base, 'GET', '/api/projects', bearer);
      expect(withToken.status).toBe(200);
      const { projects } = JSON.parse(withToken.body) as ProjectList;
      expect(projects.map((project) => project.name)).toEqual(['default']);
      expect((await rawRequest(base, 'GET', `/api/projects?token=${token}`, headers)).status).toBe(200);
      // The Settings screen shows the token from /api/info.
      const info = JSON.parse((await rawRequest(base, 'GET', '/api/info', bearer)).body) as ServerInfo;
      expect(info).toMatchObject({ host: '0.0.0.0', tokenRequired: true, port: Number(port), apiToken: token });

      const without = await rawRequest(base, 'GET', '/api/projects', headers);
      expect(without.status).toBe(401);
      expect(JSON.parse(without.body)).toEqual({ detail: 'this Stacktray requires its API token (Authorization: Bearer <token>)' });
      expect((await rawRequest(base, 'GET', '/api/projects', { ...headers, authorization: 'Bearer wrong' })).status).toBe(401);

      const key = projects[0]?.publicKey ?? '';
      const envelope = buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ fn: 'fromAnotherMachine' }) }]);
      const ingest = await rawRequest(base, 'POST', `/api/1/envelope/?sentry_key=${key}`, headers, envelope);
      expect(ingest.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    // The token is kept in the data folder: a restart prints the same one.
    const again = await startCli(dataDir, ['--host', '0.0.0.0']);
    try {
      expect(await printedToken(again)).toBe(token);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('on loopback (the default) prints no token, and the Settings screen still has one for later', async () => {
    const dataDir = tempDataDir();
    const server = await startCli(dataDir);
    try {
      // Everything is printed by the line saying how to stop it.
      await waitFor(() => server.output().includes('Press Ctrl-C to stop.') || undefined);
      expect(server.output()).not.toContain('token');
      expect((await fetch(`${server.url}/api/projects`)).status).toBe(200);
      const info = (await (await fetch(`${server.url}/api/info`)).json()) as ServerInfo;
      expect(info).toMatchObject({ host: '127.0.0.1', tokenRequired: false });
      expect(info.apiToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // The same token a restart beyond loopback asks for (it lives in the data folder).
      server.child.kill('SIGTERM');
      await server.exited;
      const beyond = await startCli(dataDir, ['--host', '0.0.0.0']);
      try {
        expect(await printedToken(beyond)).toBe(info.apiToken);
      } finally {
        beyond.child.kill('SIGTERM');
        await beyond.exited;
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
