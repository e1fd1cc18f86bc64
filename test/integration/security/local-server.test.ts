/**
 * The local server's defences, through a real server: loopback by default, the API token when
 * listening beyond it, Host checks against DNS rebinding, Origin checks against CSRF, CORS only on
 * ingest (downloads: downloads.test.ts).
 */
import Database from 'better-sqlite3';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../src/shared/api';
import { startCli } from '../../support/cli-process';
import { rawRequest, type RawAnswer } from '../../support/raw-http';
import { buildEnvelope, errorEvent, startHarness, tempDataDir, type Harness } from '../../support/core-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
}, 20_000);

afterAll(async () => {
  await harness.stop();
});

/** A request with exactly these headers (fetch does not let a caller set Host). */
const raw = (port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> =>
  rawRequest(`http://127.0.0.1:${port}`, method, path, headers, body);

const local = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> =>
  raw(harness.core.port, method, path, { host: `127.0.0.1:${harness.core.port}`, ...headers }, body);

function externalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return undefined;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('listening', () => {
  const external = externalAddress();

  it('binds to 127.0.0.1 by default', async () => {
    expect(harness.core.url).toBe(`http://127.0.0.1:${harness.core.port}`);
    expect(await canConnect('127.0.0.1', harness.core.port)).toBe(true);
    if (external) expect(await canConnect(external, harness.core.port)).toBe(false);
  });

  it('with --host 0.0.0.0, everything but ingest requires the API token', async () => {
    const dataDir = tempDataDir('stacktray-security-');
    const server = await startCli(dataDir, ['--host', '0.0.0.0']);
    try {
      const port = Number(new URL(server.url).port);
      if (external) expect(await canConnect(external, port)).toBe(true);
      const db = new Database(join(dataDir, 'stacktray.db'), { readonly: true });
      const token = (db.prepare("SELECT value FROM meta WHERE key = 'api_token'").get() as { value: string }).value;
      const project = (db.prepare('SELECT id, public_key FROM projects ORDER BY id LIMIT 1').get() as { id: number; public_key: string });
      db.close();
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const host = { host: `127.0.0.1:${port}` };

      // The UI's own files are public code: another machine loads them, then asks for the token.
      expect((await raw(port, 'GET', '/', host)).status).toBe(200);
      for (const [method, path] of [['GET', '/api/issues'], ['GET', '/api/settings'], ['GET', '/api/export'], ['DELETE', '/api/projects/1']]) {
        const refused = await raw(port, method ?? 'GET', path ?? '/', host);
        expect(refused.status, `${method} ${path}`).toBe(401);
        expect(JSON.parse(refused.body)).toEqual({ detail: 'this Stacktray requires its API token (Authorization: Bearer <token>)' });
      }
      expect((await raw(port, 'GET', '/api/issues', { ...host, authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await raw(port, 'GET', '/api/issues', { ...host, authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await raw(port, 'GET', `/api/issues?token=${token}`, host)).status).toBe(200);

      const ingest = await raw(
        port,
        'POST',
        `/api/${project.id}/envelope/?sentry_key=${project.public_key}`,
        { host: `192.0.2.10:${port}` },
        buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({}) }]),
      );
      expect(ingest.status, ingest.body).toBe(200);
      const issues = await raw(port, 'GET', '/api/issues', { ...host, authorization: `Bearer ${token}` });
      expect((JSON.parse(issues.body) as { issues: unknown[] }).issues).toHaveLength(1);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 30_000);
});

describe('DNS rebinding: the API and UI answer only to loopback host names', () => {
  it('refuses foreign Host headers on the API and the UI', async () => {
    for (const hostHeader of ['evil.example', `evil.example:${harness.core.port}`, '127.0.0.1.evil.example', 'localhost.evil.example', '192.168.1.20']) {
      for (const path of ['/api/issues', '/api/settings', '/', '/api/export']) {
        const answer = await local('GET', path, { host: hostHeader });
        expect(answer.status, `${hostHeader} ${path}`).toBe(403);
        expect(JSON.parse(answer.body)).toEqual({ detail: 'Stacktray answers only to loopback host names (127.0.0.1, localhost)' });
      }
    }
  });

  it('accepts loopback names, and ingest under any name (SDKs use whatever their DSN says)', async () => {
    for (const hostHeader of ['127.0.0.1', `localhost:${harness.core.port}`, 'LOCALHOST', `[::1]:${harness.core.port}`]) {
      expect((await local('GET', '/api/issues', { host: hostHeader })).status, hostHeader).toBe(200);
    }
    const ingest = await local(
      'POST',
      `/api/${harness.project.id}/envelope/?sentry_key=${harness.project.publicKey}`,
      { host: 'host.docker.internal:8969' },
      buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ fn: 'fromContainer' }) }]),
    );
    expect(ingest.status).toBe(200);
  });
});

describe('CSRF: state-changing API calls from foreign origins are refused', () => {
  it('refuses POST, PATCH and DELETE with a foreign or opaque Origin, and changes nothing', async () => {
    const projectsBefore = harness.core.listProjects().length;
    const settingsBefore = JSON.stringify(harness.core.settings());
    const json = { 'content-type': 'application/json' };
    const attempts: [string, string, string][] = [
      ['POST', '/api/projects', JSON.stringify({ name: 'planted' })],
      ['PATCH', '/api/settings', JSON.stringify({ rateLimitPerMinute: 1 })],
      ['DELETE', `/api/projects/${harness.project.id}`, ''],
      ['POST', '/api/import', JSON.stringify({ issues: [] })],
    ];
    for (const origin of ['http://evil.example', 'https://localhost.evil.example', 'http://127.0.0.2.nip.io']) {
      for (const [method, path, body] of attempts) {
        const answer = await local(method, path, { ...json, origin }, body || undefined);
        expect(answer.status, `${origin} ${method} ${path}`).toBe(403);
        expect(JSON.parse(answer.body)).toEqual({ detail: `requests from ${origin} may not change Stacktray's data` });
      }
    }
    const opaque = await local('PATCH', '/api/settings', { ...json, origin: 'null' }, JSON.stringify({ theme: 'dark' }));
    expect(opaque.status).toBe(403);
    expect(harness.core.listProjects()).toHaveLength(projectsBefore);
    expect(JSON.stringify(harness.core.settings())).toBe(settingsBefore);
  });

  it('allows calls without an Origin (scripts, curl) and from loopback origins', async () => {
    const noOrigin = await local('PATCH', '/api/settings', { 'content-type': 'application/json' }, JSON.stringify({ theme: 'dark' }));
    expect(noOrigin.status).toBe(200);
    const sameOrigin = await local(
      'PATCH',
      '/api/settings',
      { 'content-type': 'application/json', origin: harness.core.url },
      JSON.stringify({ theme: 'light' }),
    );
    expect(sameOrigin.status).toBe(200);
    expect(harness.core.settings().theme).toBe('light');
    // A foreign page may send a GET, but without CORS headers its script cannot read the answer.
    const read = await local('GET', '/api/settings', { origin: 'http://evil.example' });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS exists on ingest only', () => {
  it('ingest answers preflights and names the caller origin', async () => {
    const path = `/api/${harness.project.id}/envelope/`;
    const preflight = await local('OPTIONS', path, {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-sentry-auth',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('x-sentry-auth');
  });

  it('no API or UI response carries Access-Control-Allow-Origin, preflights included', async () => {
    const origin = { origin: 'http://localhost:3000' };
    const answers = [
      await local('GET', '/api/issues', origin),
      await local('GET', '/api/projects', origin),
      await local('GET', '/api/settings', origin),
      await local('GET', '/api/info', origin),
      await local('GET', '/', origin),
      await local('GET', '/api/issues/999999', origin),
      await local('OPTIONS', '/api/issues', { ...origin, 'access-control-request-method': 'DELETE' }),
      await local('OPTIONS', '/api/settings', { ...origin, 'access-control-request-method': 'PATCH' }),
    ];
    for (const answer of answers) {
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-methods']).toBeUndefined();
    }
  });
});

describe('unknown projects are not created by ingest', () => {
  it('a post to a project that does not exist is a 404 and creates nothing', async () => {
    const before = harness.core.listProjects().map((project: Project) => project.id);
    const answer = await local('POST', '/api/424242/envelope/?sentry_key=abc', {}, buildEnvelope({}, []));
    expect(answer.status).toBe(404);
    expect(harness.core.listProjects().map((project) => project.id)).toEqual(before);
  });
});
