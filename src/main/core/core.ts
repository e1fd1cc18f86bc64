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
import { SymbolicatingSink } from '../pipeline/symbolicating-sink';
import { SourceReader } from '../sources/source-reader';
import { LoopbackFetcher } from '../sources/loopback-fetch';
import { SourceMapLocator } from '../sources/source-map-locator';
import { EditorOpener } from '../sources/open-in-editor';
import { ArtifactBundleStore } from '../store/artifact-bundles';
import { frameFiles, topInAppFrame } from '../pipeline/symbolicate';
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
import { RefusalTracker } from './refusal-tracker';
import { RetentionJob } from './retention-job';
import { DATABASE_FILE } from './paths';
import { APP_VERSION } from './version';
import { ForwardSender } from '../forwarding/sender';
import { DEFAULT_RETRY_POLICY } from '../forwarding/policy';
import { GitReader } from '../sources/git-reader';
import { GitReleaseStep } from '../pipeline/git-release';
import { releaseOrder } from '../pipeline/release-order';
import { startIdleHeapTrim } from './idle-heap-trim';

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
      listUrl: (projectId) => `http://${displayHost(host)}:${port}/#/?project=${projectId}`,
      coalescing: options.alertCoalescing,
    });
    // Projects that forward: asked once per envelope, so kept in memory and reloaded on changes.
    let forwarding = projectsWithUpstream(store);
    const git = new GitReader({ sourceFolders: () => settings.get().sourceFolders });
    store.writer.useReleaseOrder(releaseOrder((candidate, resolved) => git.isNewerCommit(candidate, resolved)));
    const pipeline = new IngestPipeline(store, group, (outcome) => publisher.publish(outcome), {
      forwards: (projectId) => forwarding.has(projectId),
      gitRelease: new GitReleaseStep(git),
    }, (line) => app?.log.warn(line));
    store.forwardQueue.useLimits(() => {
      const { forwarding: { maxQueuedEnvelopes, maxQueuedMb }, retention: { maxDatabaseMb } } = settings.get();
      // The queue lives in the database: past a quarter of its size budget, a backlog would push
      // the events themselves out (retention evicts payloads to keep the database under its cap).
      return { maxEnvelopes: maxQueuedEnvelopes, maxBytes: Math.min(maxQueuedMb, maxDatabaseMb / 4) * 1024 * 1024 };
    });
    const sender = new ForwardSender(store.forwardQueue, {
      retry: {
        baseMs: options.forwarding?.retryBaseMs ?? DEFAULT_RETRY_POLICY.baseMs,
        maxMs: options.forwarding?.retryMaxMs ?? DEFAULT_RETRY_POLICY.maxMs,
      },
      timeoutMs: options.forwarding?.timeoutMs ?? 30_000,
      client: `stacktray/${APP_VERSION}`,
      log: (level, line) => app?.log[level](line),
    });
    store.forwardQueue.onEnqueued(() => sender.wake());
    const projects = new CachedProjectDirectory(store, (projectId, createdFor) => {
      const project = store.projects.get(projectId);
      if (!project) return;
      if (createdFor) app?.log.info(`OpenTelemetry service.name "${createdFor.serviceName}" created project ${project.id} (${project.name})`);
      hub.publish({ type: 'project.changed', project, ...(createdFor && { createdFor }) });
    });
    const refusals = new RefusalTracker({
      log: (line) => app?.log.warn(line),
      projectName: (projectId) => store.projects.get(projectId)?.name,
      onChange: (refusal) => hub.publish({ type: 'refusal', refusal }),
    });
    const sourceReader = new SourceReader({ sourceFolders: () => settings.get().sourceFolders });
    // Bundles share the events' age limit and take at most a quarter of the database's size budget.
    const bundles = new ArtifactBundleStore(options.dataDir, () => {
      const { retention } = settings.get();
      return { maxBytes: (retention.maxDatabaseMb * 1024 * 1024) / 4, maxAgeDays: retention.maxAgeDays };
    });
    const sourceMaps = new SourceMapLocator(sourceReader, new LoopbackFetcher(), bundles);
    const ingest: IngestDeps = {
      sink: new SymbolicatingSink(pipeline, sourceMaps),
      projects,
      rateLimiter: new MinuteRateLimiter(() => settings.get().rateLimitPerMinute),
      limits: DEFAULT_INGEST_LIMITS,
      refusals,
    };
    const normalizeStored = (payloadJson: string, received: number, eventId: string): SentryEvent => {
      const result = normalizeEvent(JSON.parse(payloadJson) as unknown, { receivedAt: received, eventIdFallback: eventId });
      if (!result.ok) throw new Error(`stored event ${eventId} no longer normalizes: ${result.reason}`);
      return result.event;
    };
    const editor = new EditorOpener({
      reader: sourceReader,
      editorSetting: () => settings.get().editor,
      env: process.env,
      frameFiles: (eventId) => {
        const stored = store.events.byEventId(eventId);
        return stored ? frameFiles(normalizeStored(stored.payloadJson, Date.parse(stored.summary.received) / 1000, eventId)) : null;
      },
    });
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
          forwarding = projectsWithUpstream(store);
          sender.wake();
        },
        refusals,
        sources: { reader: sourceReader, editor },
        bundles,
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
    const retention = new RetentionJob(store.db, () => settings.get(), {
      log: (level, line) => server.log[level](line),
      boundAlongside: () => bundles.enforceRetention(),
    });
    retention.start();
    sender.start();
    const heapTrim = startIdleHeapTrim();
    // Refusal counts reach the stream and the held-back log lines the log about once a second.
    const refusalTicks = setInterval(() => refusals.tick(), 1000);
    refusalTicks.unref();

    let stopped: Promise<void> | null = null;
    let storeClosed = false;
    // Synchronous: what must be on disk before the process may end (see stopNow).
    const closeStore = (): void => {
      if (storeClosed) return;
      storeClosed = true;
      void retention.stop();
      pipeline.commitPending();
      publisher.flush();
      store.close();
      lock.release();
    };
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
      openInEditor: (request) => editor.open(request),
      topInAppFrame: (issueId) => {
        const stored = store.events.latest(issueId);
        if (!stored) return null;
        const { summary } = stored;
        return topInAppFrame(normalizeStored(stored.payloadJson, Date.parse(summary.received) / 1000, summary.eventId));
      },
      stop() {
        stopped ??= (async () => {
          clearInterval(refusalTicks);
          heapTrim.stop();
          await otlp?.close();
          await server.close();
          refusals.flushLog();
          await pipeline.drain();
          await sender.stop();
          git.close();
          await retention.stop();
          closeStore();
        })();
        return stopped;
      },
      stopNow() {
        heapTrim.stop();
        closeStore();
        // Requests still open get a 503 from the pipeline (its store is closed) until the OS ends us.
        void otlp?.close().catch(() => undefined);
        void server.close().catch(() => undefined);
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

function projectsWithUpstream(store: Store): Set<number> {
  return new Set(store.projects.list().filter((project) => project.upstreamDsn !== null).map((project) => project.id));
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
