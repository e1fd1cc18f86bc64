/**
 * After each commit: tells live subscribers what changed and turns recorded alerts into
 * notifications (coalesced), stream messages and webhook deliveries.
 */
import type { Alert } from '../../shared/issue';
import type { Store } from '../store';
import type { BatchOutcome } from '../store/ingest-writer';
import type { LiveHub } from './live-hub';
import { LiveUpdates } from './live-updates';
import { AlertCoalescer, DEFAULT_COALESCING, type CoalescerOptions } from '../pipeline/alert/coalescer';
import type { Notifier } from '../pipeline/alert/notifier';
import { deliverWebhook, DEFAULT_WEBHOOK_OPTIONS } from '../pipeline/alert/webhook';

export interface PublisherDeps {
  store: Store;
  hub: LiveHub;
  notifier: Notifier;
  log: (line: string) => void;
  issueUrl: (issueId: number) => string;
  listUrl: (projectId: number) => string;
  coalescing?: CoalescerOptions;
  liveUpdateWindowMs?: number;
}

export class OutcomePublisher {
  private readonly coalescer: AlertCoalescer;
  private readonly live: LiveUpdates;

  constructor(private readonly deps: PublisherDeps) {
    this.coalescer = new AlertCoalescer((alert) => this.deliver(alert), deps.coalescing ?? DEFAULT_COALESCING);
    this.live = new LiveUpdates({
      issues: (ids) => deps.store.issues.getMany(ids),
      publish: (message) => deps.hub.publish(message),
      ...(deps.liveUpdateWindowMs !== undefined && { windowMs: deps.liveUpdateWindowMs }),
    });
  }

  publish(outcome: BatchOutcome): void {
    const { store, hub } = this.deps;
    // Nobody watching: nothing to read back (the common case at high rates).
    if (hub.hasListeners) this.live.add(outcome);
    if (outcome.alerts.length === 0) return;
    const issues = new Map(store.issues.getMany(outcome.alerts.map((alert) => alert.issueId)).map((issue) => [issue.id, issue]));
    const now = new Date().toISOString();
    for (const recorded of outcome.alerts) {
      const issue = issues.get(recorded.issueId);
      if (!issue || issue.status === 'ignored') continue;
      this.coalescer.push({
        kind: recorded.kind,
        issueId: issue.id,
        projectId: issue.projectId,
        projectName: store.projects.get(issue.projectId)?.name ?? String(issue.projectId),
        title: issue.title,
        count: issue.count,
        at: now,
      });
    }
  }

  /** Emits pending live updates and any pending coalesced summary (on shutdown). */
  flush(): void {
    this.live.flush();
    this.coalescer.flush();
  }

  private deliver(alert: Alert): void {
    const { notifier, hub, store, log, issueUrl, listUrl } = this.deps;
    notifier.notify(alert);
    hub.publish({ type: 'alert', alert });
    const targets =
      alert.projectId !== undefined
        ? [store.projects.get(alert.projectId)?.webhookUrl]
        : store.projects.list().map((project) => project.webhookUrl);
    for (const target of new Set(targets)) {
      if (target) void deliverWebhook(target, alert, { ...DEFAULT_WEBHOOK_OPTIONS, log, issueUrl, listUrl });
    }
  }
}
