/**
 * After each commit: tells live subscribers what changed and turns recorded alerts into
 * notifications (coalesced), stream messages and webhook deliveries.
 */
import type { Alert } from '../../shared/issue';
import type { Store } from '../store';
import type { BatchOutcome } from '../store/ingest-writer';
import type { LiveHub } from './live-hub';
import { AlertCoalescer, DEFAULT_COALESCING, type CoalescerOptions } from '../pipeline/alert/coalescer';
import type { Notifier } from '../pipeline/alert/notifier';
import { deliverWebhook, DEFAULT_WEBHOOK_OPTIONS } from '../pipeline/alert/webhook';

export interface PublisherDeps {
  store: Store;
  hub: LiveHub;
  notifier: Notifier;
  log: (line: string) => void;
  issueUrl: (issueId: number) => string;
  coalescing?: CoalescerOptions;
}

export class OutcomePublisher {
  private readonly coalescer: AlertCoalescer;

  constructor(private readonly deps: PublisherDeps) {
    this.coalescer = new AlertCoalescer((alert) => this.deliver(alert), deps.coalescing ?? DEFAULT_COALESCING);
  }

  publish(outcome: BatchOutcome): void {
    const { store, hub } = this.deps;
    const touchedIds = [...outcome.createdIssueIds, ...outcome.updatedIssueIds];
    const issues = new Map(store.issues.getMany(touchedIds).map((issue) => [issue.id, issue]));
    if (hub.hasListeners) {
      for (const id of outcome.createdIssueIds) {
        const issue = issues.get(id);
        if (issue) hub.publish({ type: 'issue.created', issue });
      }
      for (const id of outcome.updatedIssueIds) {
        const issue = issues.get(id);
        if (issue) hub.publish({ type: 'issue.updated', issue });
      }
      for (const event of outcome.stored) hub.publish({ type: 'event.created', event });
    }
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

  /** Emits any pending coalesced summary (on shutdown). */
  flush(): void {
    this.coalescer.flush();
  }

  private deliver(alert: Alert): void {
    const { notifier, hub, store, log, issueUrl } = this.deps;
    notifier.notify(alert);
    hub.publish({ type: 'alert', alert });
    const targets =
      alert.projectId !== undefined
        ? [store.projects.get(alert.projectId)?.webhookUrl]
        : store.projects.list().map((project) => project.webhookUrl);
    for (const target of new Set(targets)) {
      if (target) void deliverWebhook(target, alert, { ...DEFAULT_WEBHOOK_OPTIONS, log, issueUrl });
    }
  }
}
