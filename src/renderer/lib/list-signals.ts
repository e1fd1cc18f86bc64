/**
 * What the issue list signals per row, from the rows on screen: which rows look alike, one
 * sparkline scale for them all, and whether "New" still applies. Pure.
 */
import type { Issue } from '../../shared/issue';
import { exactTime, relativeTime } from './format';

const DAY_MS = 86_400_000;

/**
 * Rows that share project, title and culprit with another row: the same error from two lines of
 * one function (the line contributes to grouping). Those rows show their line to tell them apart.
 */
export function lookAlikeIds(issues: Pick<Issue, 'id' | 'projectId' | 'title' | 'culprit'>[]): Set<number> {
  const byLook = new Map<string, number[]>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.projectId, issue.title, issue.culprit]);
    byLook.set(key, [...(byLook.get(key) ?? []), issue.id]);
  }
  return new Set([...byLook.values()].filter((ids) => ids.length > 1).flat());
}

/** The largest hourly count among the rows: every row's sparkline is drawn against it. */
export function sparklineScale(issues: Pick<Issue, 'histogram24h'>[]): number {
  let max = 1;
  for (const issue of issues) for (const count of issue.histogram24h ?? []) if (count > max) max = count;
  return max;
}

/** "New": first seen in the last 24 hours, never resolved nor regressed (the server's isNew), and not opened yet. */
export function showsNew(issue: Pick<Issue, 'id' | 'isNew' | 'firstSeen'>, now: number, opened: ReadonlySet<number>): boolean {
  return issue.isNew && now - Date.parse(issue.firstSeen) < DAY_MS && !opened.has(issue.id);
}

/** A row shows one relative time (the last seen); the rest is on hover. */
export function timesTooltip(issue: Pick<Issue, 'firstSeen' | 'lastSeen'>, now: number): string {
  const last = `Last seen ${relativeTime(issue.lastSeen, now)} (${exactTime(issue.lastSeen)})`;
  if (issue.firstSeen === issue.lastSeen) return `${last}, the only time`;
  return `${last}\nFirst seen ${relativeTime(issue.firstSeen, now)} (${exactTime(issue.firstSeen)})`;
}
