/** Breadcrumb display rules: the kind (icon) of each crumb and the filters. Pure. */
import type { Breadcrumb, SentryEvent } from '../../shared/event';
import { isMessageWithStack } from './stacktrace';

export type CrumbKind = 'http' | 'navigation' | 'console' | 'query' | 'ui' | 'user' | 'error' | 'default';

export interface CrumbView {
  index: number;
  crumb: Breadcrumb;
  kind: CrumbKind;
  category: string;
  level: string;
  /** The event itself, appended as the last entry of the timeline. */
  isEvent: boolean;
}

export function crumbKind(crumb: Breadcrumb): CrumbKind {
  const type = crumb.type ?? '';
  const category = crumb.category ?? '';
  if (type === 'http' || category === 'fetch' || category === 'xhr' || category === 'http') return 'http';
  if (type === 'navigation' || category === 'navigation') return 'navigation';
  if (category === 'console') return 'console';
  if (type === 'query' || category === 'query' || category.startsWith('db')) return 'query';
  if (type === 'ui' || category.startsWith('ui.')) return 'ui';
  if (type === 'user') return 'user';
  if (type === 'error' || crumb.level === 'error' || crumb.level === 'fatal' || category === 'exception') return 'error';
  return 'default';
}

/**
 * The crumb's one line: its message, or for an http request without one (fetch/xhr/http, as the
 * SDKs send them) "POST /api/cart [200]", as Sentry shows it. Null when there is neither.
 */
export function crumbMessage(crumb: Breadcrumb): string | null {
  if (crumb.message) return crumb.message;
  if (crumbKind(crumb) !== 'http') return null;
  const data = crumb.data ?? {};
  const url = typeof data['url'] === 'string' ? data['url'] : '';
  if (!url) return null;
  const method = typeof data['method'] === 'string' ? data['method'].toUpperCase() : '';
  const status = data['status_code'];
  const statusText = typeof status === 'number' || (typeof status === 'string' && status) ? ` [${status}]` : '';
  return `${method ? `${method} ` : ''}${url}${statusText}`;
}

/**
 * The data worth showing: console crumbs repeat their message as `arguments` and name the logger
 * "console"; both are noise next to the message itself.
 */
export function crumbData(crumb: Breadcrumb): [string, unknown][] {
  const entries = Object.entries(crumb.data ?? {});
  if (crumb.category !== 'console') return entries;
  return entries.filter(([key, value]) => {
    if (key === 'logger') return value !== 'console';
    if (key === 'arguments' && Array.isArray(value)) return !(value.length === 1 && value[0] === crumb.message);
    return true;
  });
}

export function breadcrumbViews(event: SentryEvent, errorTitle: string): CrumbView[] {
  const crumbs = event.breadcrumbs?.values ?? [];
  const views = crumbs.map((crumb, index) => ({
    index,
    crumb,
    kind: crumbKind(crumb),
    category: crumb.category ?? crumb.type ?? 'default',
    level: crumb.level ?? 'info',
    isEvent: false,
  }));
  // The event itself closes the timeline: an "exception" for an error, a "message" for a message
  // event (captureMessage, with or without a stack attached), as Sentry labels them.
  const isError = (event.exception?.values?.length ?? 0) > 0 && !isMessageWithStack(event);
  const eventCrumb: Breadcrumb = { timestamp: event.timestamp, level: event.level, message: errorTitle, category: isError ? 'exception' : 'message' };
  views.push({
    index: crumbs.length,
    crumb: eventCrumb,
    kind: isError ? 'error' : crumbKind(eventCrumb),
    category: eventCrumb.category ?? 'message',
    level: event.level,
    isEvent: true,
  });
  return views;
}

export function filterCrumbs(views: CrumbView[], category: string, level: string, search: string): CrumbView[] {
  const needle = search.trim().toLowerCase();
  return views.filter((view) => {
    if (view.isEvent) return true;
    if (category && view.category !== category) return false;
    if (level && view.level !== level) return false;
    if (!needle) return true;
    const haystack = `${view.category} ${crumbMessage(view.crumb) ?? ''} ${view.crumb.data ? JSON.stringify(view.crumb.data) : ''}`;
    return haystack.toLowerCase().includes(needle);
  });
}
