#!/usr/bin/env node
// The packaging workflow's last step: starts the PACKAGED app (not node_modules' Electron) in a
// temporary data folder and checks that it serves GET /api/info and stores an event. The core opens
// its database at start-up, so an answer proves better-sqlite3 inside the package was rebuilt for
// Electron's ABI. It also checks the V8-flags relaunch happens at most once: the process that owns the
// data folder (its lock file names it) stays the same. Exits 1 with the reason on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server-launch.mjs';
import { packagedApp, packagedAppSettings } from './packaged-app.mjs';

const STARTUP_TIMEOUT_MS = 120_000;
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function getJson(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function waitForInfo(base, child) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    try {
      return await getJson(`${base}/api/info`);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no answer from ${base}/api/info after ${STARTUP_TIMEOUT_MS / 1000} s (${error.message}); launcher exit code: ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function lockOwnerPid(dataDir) {
  return JSON.parse(readFileSync(join(dataDir, 'stacktray.lock'), 'utf8')).pid;
}

function stop(pid) {
  try {
    if (process.platform === 'win32') execFileSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

async function main() {
  const app = packagedApp(process.platform, join(ROOT, 'dist'));
  const dataDir = mkdtempSync(join(tmpdir(), 'stacktray-packaged-'));
  const port = await freePort();
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(packagedAppSettings(port)));
  const base = `http://127.0.0.1:${port}`;
  console.log(`check-packaged-app: starting ${app.command} (data ${dataDir}, port ${port})`);
  const child = spawn(app.command, [`--user-data-dir=${dataDir}`], { env: { ...process.env, ...app.env }, stdio: 'inherit' });
  const launcherExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let owner = null;
  try {
    const info = await waitForInfo(base, child);
    if (info.version !== version) throw new Error(`/api/info says version ${info.version}, package.json ${version}`);
    if (info.dataDir !== dataDir) throw new Error(`/api/info says data folder ${info.dataDir}, expected ${dataDir}`);
    owner = lockOwnerPid(dataDir);
    console.log(`check-packaged-app: /api/info answered (version ${info.version}); the data folder's owner is pid ${owner}, the launcher was ${child.pid}`);

    const { projects } = await getJson(`${base}/api/projects`);
    const project = projects[0];
    const stored = await fetch(`${base}/api/${project.id}/store/?sentry_version=7&sentry_key=${project.publicKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event_id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
        timestamp: Date.now() / 1000,
        platform: 'javascript',
        level: 'error',
        exception: { values: [{ type: 'PackagedAppError', value: 'stored by the packaged app' }] },
      }),
    });
    if (stored.status !== 200) throw new Error(`the store endpoint answered ${stored.status}: ${await stored.text()}`);
    const { issues } = await getJson(`${base}/api/issues`);
    if (!issues.some((issue) => issue.title === 'PackagedAppError: stored by the packaged app')) {
      throw new Error(`the event was not stored as an issue: ${JSON.stringify(issues.map((issue) => issue.title))}`);
    }
    console.log('check-packaged-app: the event was stored');

    // A relaunch loop would hand the data folder to a new process every time.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await getJson(`${base}/api/info`);
    const ownerLater = lockOwnerPid(dataDir);
    if (ownerLater !== owner) throw new Error(`the data folder changed owner from pid ${owner} to ${ownerLater}: the app relaunched more than once`);
    console.log('check-packaged-app: no further relaunch; all checks passed');
  } finally {
    if (owner !== null) stop(owner);
    if (child.exitCode === null) stop(child.pid);
    await Promise.race([launcherExit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
}

main().catch((error) => {
  console.error(`check-packaged-app: failed: ${error.message}`);
  process.exit(1);
});
