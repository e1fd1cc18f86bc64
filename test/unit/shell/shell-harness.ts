/** Launches the real desktop shell logic over a RecordingPlatform, with the real core in a temp folder. */
import { afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore } from '../../../src/main/core/core';
import type { Core, CoreOptions } from '../../../src/main/core/core-types';
import { SettingsFile } from '../../../src/main/core/settings-file';
import { runDesktopShell, type DesktopShell } from '../../../src/main/shell/desktop-shell';
import { findFreePort } from '../../../src/main/shell/free-port';
import type { Settings } from '../../../src/shared/settings';
import { ManualClock } from './manual-clock';
import { RecordingPlatform, type RecordedWindow } from './recording-platform';

export interface Launch {
  platform: RecordingPlatform;
  clock: ManualClock;
  shell: DesktopShell | null;
  dataDir: string;
  /** How often the shell asked to start a core. */
  coreStarts: CoreOptions[];
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'stacktray-shell-'));
}

export async function launch(
  options: {
    dataDir?: string;
    platform?: RecordingPlatform;
    clock?: ManualClock;
    settings?: Partial<Settings>;
    devRendererUrl?: string;
    alertCoalescing?: CoreOptions['alertCoalescing'];
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<Launch> {
  const dataDir = options.dataDir ?? tempDataDir();
  const platform = options.platform ?? new RecordingPlatform();
  const clock = options.clock ?? new ManualClock();
  const saved = new SettingsFile(dataDir);
  // Port 0 lets tests run side by side; the port-in-use tests set a real one.
  const settings = saved.update({ port: 0, ...options.settings });
  const coreStarts: CoreOptions[] = [];
  const shell = await runDesktopShell({
    platform,
    startCore: (coreOptions) => {
      coreStarts.push(coreOptions);
      return startCore(coreOptions);
    },
    findFreePort,
    savedSettings: settings,
    dataDir,
    clock,
    env: options.env ?? {},
    devRendererUrl: options.devRendererUrl,
    coreOptions: {
      logLevel: 'silent',
      otlpPort: null,
      rendererDir: join(__dirname, '../../../out/renderer'),
      ...(options.alertCoalescing === undefined ? {} : { alertCoalescing: options.alertCoalescing }),
    },
  });
  return { platform, clock, shell, dataDir, coreStarts };
}


/** `launch`, with every shell it started shut down after each test of the calling file. */
export function launchPerTest(): (...args: Parameters<typeof launch>) => Promise<Launch> {
  const launched: Launch[] = [];
  afterEach(async () => {
    for (const one of launched.splice(0)) await one.shell?.shutdown();
  });
  return async (...args) => {
    const one = await launch(...args);
    launched.push(one);
    return one;
  };
}
export function running(launched: Launch): { shell: DesktopShell; core: Core; window: RecordedWindow } {
  if (launched.shell === null) throw new Error('the shell did not start');
  const window = launched.platform.windows[0];
  if (window === undefined) throw new Error('no window was created');
  return { shell: launched.shell, core: launched.shell.core, window };
}

/** Sends one error event as an SDK would (legacy store endpoint); returns the stored event id. */
export async function sendError(core: Core, type: string, value: string): Promise<string> {
  const project = core.listProjects()[0];
  if (project === undefined) throw new Error('the core has no project');
  const eventId = randomBytes(16).toString('hex');
  const response = await fetch(`${core.url}/api/${project.id}/store/?sentry_version=7&sentry_key=${project.publicKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      event_id: eventId,
      timestamp: Date.now() / 1000,
      platform: 'javascript',
      level: 'error',
      exception: { values: [{ type, value, stacktrace: { frames: [{ filename: 'app.js', function: `handle${type}`, lineno: 10, in_app: true }] } }] },
    }),
  });
  if (response.status !== 200) throw new Error(`store answered ${response.status}: ${await response.text()}`);
  return eventId;
}

export async function resolveIssue(core: Core, issueId: number): Promise<void> {
  const response = await fetch(`${core.url}/api/issues/${issueId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'resolved' }),
  });
  if (response.status !== 200) throw new Error(`resolving answered ${response.status}: ${await response.text()}`);
}

/** Resolves once the core has published `count` alerts (after the notifier saw them). */
export function alertsPublished(core: Core, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const unsubscribe = core.subscribe((message) => {
      if (message.type !== 'alert') return;
      seen += 1;
      if (seen === count) {
        unsubscribe();
        resolve();
      }
    });
  });
}

export async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}
