/** Which alerts become desktop notifications, and what they say. Pure: settings and a clock in, data out. */
import type { Alert } from '../../shared/issue';
import type { Settings } from '../../shared/settings';
import type { NotificationSpec } from './platform';
import { isPaused } from './pause';

const MAX_TITLE_LENGTH = 120;

export function shouldNotify(alert: Alert, notifications: Settings['notifications'], now: Date): boolean {
  if (!notifications.enabled || isPaused(notifications, now)) return false;
  switch (alert.kind) {
    case 'new':
      return notifications.onNew;
    case 'regression':
      return notifications.onRegression;
    case 'summary':
      // A summary stands for a burst of new issues and regressions: show it unless both are off.
      return notifications.onNew || notifications.onRegression;
  }
}

export function notificationFor(alert: Alert): NotificationSpec {
  if (alert.kind === 'summary') {
    const count = alert.suppressed ?? alert.count;
    const body = count === undefined ? 'Open Stacktray to see them.' : `${plural(count, 'more alert')} — open Stacktray to see them.`;
    return { title: truncate(alert.title), body };
  }
  const what = alert.kind === 'new' ? 'New issue' : 'Regression';
  const parts = [alert.projectName ? `${what} in ${alert.projectName}` : what];
  if (alert.count !== undefined) parts.push(plural(alert.count, 'event'));
  return { title: truncate(alert.title), body: parts.join(' · ') };
}

/** The route a click on the notification opens. */
export function routeFor(alert: Alert): { issueId: number } | { hashRoute: string } {
  if (alert.issueId !== undefined) return { issueId: alert.issueId };
  return { hashRoute: alert.projectId !== undefined ? `#/?project=${alert.projectId}` : '#/' };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_TITLE_LENGTH ? oneLine : `${oneLine.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}
