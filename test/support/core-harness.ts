/** Starts a real core on 127.0.0.1:0 over a fresh data folder, and talks to its HTTP API. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore } from '../../src/main/core/core';
import type { Core, CoreOptions } from '../../src/main/core/core-types';
import type { Alert } from '../../src/shared/issue';
import type { Project } from '../../src/shared/project';

export interface Harness {
  core: Core;
  dataDir: string;
  alerts: Alert[];
  project: Project;
  api<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }>;
  /** Posts a Sentry envelope built from items to the default project. */
  sendEnvelope(items: { header: Record<string, unknown>; payload: unknown }[], projectId?: number): Promise<Response>;
  stop(): Promise<void>;
}

export function tempDataDir(prefix = 'stacktray-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startHarness(dataDir = tempDataDir(), extra: Partial<CoreOptions> = {}): Promise<Harness> {
  const alerts: Alert[] = [];
  const core = await startCore({
    dataDir,
    port: 0,
    otlpPort: null,
    logLevel: 'silent',
    notifier: { notify: (alert) => alerts.push(alert) },
    rendererDir: join(__dirname, '../../out/renderer'),
    ...extra,
  });
  const project = core.listProjects()[0] as Project;
  const harness: Harness = {
    core,
    dataDir,
    alerts,
    project,
    async api<T>(path: string, init?: RequestInit) {
      const response = await fetch(`${core.url}${path}`, {
        ...init,
        headers: { ...(init?.body ? { 'content-type': 'application/json' } : {}), ...(init?.headers as Record<string, string>) },
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: keep the text.
      }
      return { status: response.status, body: body as T, headers: response.headers };
    },
    sendEnvelope(items, projectId = project.id) {
      const key = core.listProjects().find((p) => p.id === projectId)?.publicKey ?? '';
      return fetch(`${core.url}/api/${projectId}/envelope/?sentry_key=${key}&sentry_version=7`, {
        method: 'POST',
        body: buildEnvelope({}, items),
      });
    },
    stop: () => core.stop(),
  };
  return harness;
}

export function buildEnvelope(header: Record<string, unknown>, items: { header: Record<string, unknown>; payload: unknown }[]): string {
  const lines = [JSON.stringify(header)];
  for (const item of items) {
    const payload = typeof item.payload === 'string' ? item.payload : JSON.stringify(item.payload);
    lines.push(JSON.stringify({ ...item.header, length: Buffer.byteLength(payload) }), payload);
  }
  return `${lines.join('\n')}\n`;
}

/** A Node-style error event as @sentry/node would send it, thrown in `fn` at `file`. */
export function errorEvent(options: {
  eventId?: string;
  type?: string;
  value?: string;
  fn?: string;
  file?: string;
  lineno?: number;
  release?: string;
  environment?: string;
  user?: Record<string, unknown>;
  tags?: Record<string, string>;
  timestamp?: number;
}): Record<string, unknown> {
  return {
    event_id: options.eventId ?? randomHex(),
    timestamp: options.timestamp ?? Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: options.release,
    environment: options.environment ?? 'development',
    user: options.user,
    tags: options.tags,
    exception: {
      values: [
        {
          type: options.type ?? 'TypeError',
          value: options.value ?? 'Cannot read properties of undefined',
          mechanism: { type: 'generic', handled: true },
          stacktrace: {
            frames: [
              { filename: '/app/server.js', abs_path: '/app/server.js', function: 'handle', lineno: 10, colno: 3, in_app: true },
              {
                filename: options.file ?? '/app/lib/orders.js',
                abs_path: options.file ?? '/app/lib/orders.js',
                function: options.fn ?? 'computeTotal',
                lineno: options.lineno ?? 42,
                colno: 7,
                in_app: true,
                context_line: '  return order.total.amount;',
              },
            ],
          },
        },
      ],
    },
  };
}

export function randomHex(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
