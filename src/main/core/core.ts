/**
 * Starts the core: data folder lock, settings, store, ingest pipeline, alerts and the HTTP
 * server. Runs the same in the Electron main process and headless under plain Node.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SentryEvent } from '../../shared/event';
import type { GroupingResult } from '../../shared/grouping';
import { DEFAULT_INGEST_LIMITS, type IngestDeps } from '../ingest/ingest-sink';
import { startOtlpListener } from '../ingest/otlp/routes';
import { groupEvent, parseFingerprintRules, type FingerprintRule } from '../pipeline/grouping';
import { normalizeEvent } from '../pipeline/normalize';
import { IngestPipeline } from '../pipeline/ingest-pipeline';
import { LogNotifier } from '../pipeline/alert/log-notifier';
import { openStore, type Store } from '../store';
import { buildServer } from '../server/build-server';
import { PortInUseError, type Core, type CoreOptions } from './core-types';
import { assertDataDirUnlocked, lockDataDir } from './data-dir-lock';
import { assertPortFree } from './port-probe';
import { removeDatabaseFiles } from '../store/db';
import { SettingsFile } from './settings-file';
import { LiveHub } from './live-hub';
import { OutcomePublisher } from './outcome-publisher';
import { CachedProjectDirectory } from './project-directory';
import { MinuteRateLimiter } from './rate-limiter';
import { RetentionJob } from './retention-job';
import { DATABASE_FILE } from './paths';
import { APP_VERSION } from './version';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startCore(options: CoreOptions): Promise<Core> {
  const host = options.host ?? '127.0.0.1';
  // Both asked before anything is created, so that a start that cannot run leaves nothing behind.
  assertDataDirUnlocked(options.dataDir);
  await assertPortFree(host, options.port);
  mkdirSync(options.dataDir, { recursive: true });
  const lock = lockDataDir(options.dataDir);
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  // Should the start fail after all (the port taken between the probe and listen), a database it
  // created holds nothing yet and goes with it.
  const createsDatabase = !existsSync(databaseFile);
  let port = options.port;
  let app: FastifyInstance | undefined;
  let otlp: { port: number; close(): Promise<void> } | null = null;
  let openedStore: Store | undefined;
  try {
    const settings = new SettingsFile(options.dataDir);
    const store = openStore(databaseFile, () => `http://${displayHost(host)}:${port}`);
    openedStore = store;
    store.ensureDefaultProject();
    const hub = new LiveHub();
    const notifier = options.notifier ?? new LogNotifier();
    const rules = new Map<number, FingerprintRule[]>();
    const group = (event: SentryEvent, projectId: number): GroupingResult => {
      let projectRules = rules.get(projectId);
      if (!projectRules) {
        projectRules = parseFingerprintRules(store.projects.get(projectId)?.fingerprintRules ?? '').rules;
        rules.set(projectId, projectRules);
      }
      return groupEvent(event, { rules: projectRules });
    };
    const publisher = new OutcomePublisher({
      store,
      hub,
      notifier,
      log: (line) => app?.log.warn(line),
      issueUrl: (issueId) => `http://${displayHost(host)}:${port}/#/issues/${issueId}`,
      coalescing: options.alertCoalescing,
    });
    const pipeline = new IngestPipeline(store, group, (outcome) => publisher.publish(outcome), (line) => app?.log.warn(line));
    const projects = new CachedProjectDirectory(store, (projectId) => {
      const project = store.projects.get(projectId);
      if (project) hub.publish({ type: 'project.changed', project });
    });
    const ingest: IngestDeps = {
      sink: pipeline,
      projects,
      rateLimiter: new MinuteRateLimiter(() => settings.get().rateLimitPerMinute),
      limits: DEFAULT_INGEST_LIMITS,
    };
    const normalizeStored = (payloadJson: string, received: number, eventId: string): SentryEvent => {
      const result = normalizeEvent(JSON.parse(payloadJson) as unknown, { receivedAt: received, eventIdFallback: eventId });
      if (!result.ok) throw new Error(`stored event ${eventId} no longer normalizes: ${result.reason}`);
      return result.event;
    };
    const storedToken = store.apiToken();
    const apiToken = LOOPBACK.has(host) ? null : storedToken;
    const server = await buildServer({
      ingest,
      api: {
        store,
        hub,
        settings,
        ingest: pipeline,
        normalizeStored,
        group,
        projectsChanged: () => {
          rules.clear();
          projects.reload();
        },
        info: () => ({ version: APP_VERSION, dataDir: options.dataDir, host, tokenRequired: apiToken !== null, port, otlpPort: otlp?.port ?? null, apiToken: storedToken }),
      },
      rendererDir: options.rendererDir,
      apiToken,
      logLevel: options.logLevel ?? 'info',
      requestTimeoutMs: options.requestTimeoutMs,
    });
    app = server;
    try {
      await server.listen({ host, port: options.port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(options.port);
      throw error;
    }
    const address = server.server.address();
    port = typeof address === 'object' && address ? address.port : options.port;
    if (store.movedAsideTo) server.log.error(`the database was corrupt and was moved aside to ${store.movedAsideTo}; a new one was started`);
    const otlpPort = options.otlpPort === undefined ? settings.get().otlpPort : options.otlpPort;
    if (otlpPort !== null && otlpPort !== 0 && otlpPort !== port) otlp = await startOtlpListener(ingest, otlpPort);
    store.startBackgroundCheckpoints((line) => server.log.warn(line));
    const retention = new RetentionJob(store.db, () => settings.get(), { log: (level, line) => server.log[level](line) });
    retention.start();

    let stopped: Promise<void> | null = null;
    return {
      get url() {
        return `http://${displayHost(host)}:${port}`;
      },
      get port() {
        return port;
      },
      get otlpPort() {
        return otlp?.port ?? null;
      },
      dataDir: options.dataDir,
      apiToken,
      listProjects: () => store.projects.list(),
      unresolvedCount: () => store.issues.unresolvedCount(),
      recentIssues: (limit) => store.issues.recent(limit),
      settings: () => settings.get(),
      updateSettings: (patch) => {
        const updated = settings.update(patch);
        hub.publish({ type: 'settings.changed', settings: updated });
        return updated;
      },
      subscribe: (listener) => hub.subscribe(listener),
      stop() {
        stopped ??= (async () => {
          await otlp?.close();
          await server.close();
          await pipeline.drain();
          await retention.stop();
          publisher.flush();
          store.close();
          lock.release();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await otlp?.close();
    await app?.close();
    openedStore?.close();
    if (createsDatabase) removeDatabaseFiles(databaseFile);
    lock.release();
    throw error;
  }
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
