/** The headless notifier: one log line per alert. */
import type { Alert } from '../../../shared/issue';
import type { Notifier } from './notifier';

export function alertLine(alert: Alert): string {
  if (alert.kind === 'summary') return `SUMMARY ${alert.title}`;
  const kind = alert.kind === 'new' ? 'NEW' : 'REGRESSION';
  return `${kind} issue ${alert.issueId} [${alert.projectName ?? alert.projectId}] ${alert.title} (${alert.count ?? 1} event${alert.count === 1 ? '' : 's'})`;
}

export class LogNotifier implements Notifier {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  notify(alert: Alert): void {
    this.write(alertLine(alert));
  }
}
