/**
 * Posts alerts to a project's webhook as JSON with a Slack-compatible `text` field, retrying
 * failures with exponential back-off. Never blocks ingest: delivery runs in the background.
 */
import type { Alert } from '../../../shared/issue';
import { alertLine } from './log-notifier';

export interface WebhookOptions {
  retries: number;
  firstDelayMs: number;
  timeoutMs: number;
  log: (line: string) => void;
  /** Builds a link to the issue in the UI. */
  issueUrl: (issueId: number) => string;
  /** Builds a link to a project's issue list in the UI (where a summary's issues are). */
  listUrl: (projectId: number) => string;
}

export const DEFAULT_WEBHOOK_OPTIONS: Omit<WebhookOptions, 'log' | 'issueUrl' | 'listUrl'> = {
  retries: 4,
  firstDelayMs: 1000,
  timeoutMs: 5000,
};

export function webhookBody(alert: Alert, links: Pick<WebhookOptions, 'issueUrl' | 'listUrl'>): Record<string, unknown> {
  const url =
    alert.issueId !== undefined ? links.issueUrl(alert.issueId) : alert.projectId !== undefined ? links.listUrl(alert.projectId) : undefined;
  return {
    text: url ? `${alertLine(alert)} ${url}` : alertLine(alert),
    alert,
    ...(url ? { url } : {}),
  };
}

export async function deliverWebhook(target: string, alert: Alert, options: WebhookOptions): Promise<boolean> {
  const body = JSON.stringify(webhookBody(alert, options));
  let delay = options.firstDelayMs;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.ok) return true;
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        options.log(`webhook ${target} refused the alert: HTTP ${response.status}`);
        return false;
      }
    } catch {
      // Network errors and timeouts are retried below.
    }
    if (attempt < options.retries) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay *= 2;
    }
  }
  options.log(`webhook ${target} failed after ${options.retries + 1} attempts; alert dropped`);
  return false;
}
