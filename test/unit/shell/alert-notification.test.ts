import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/shared/issue';
import { defaultSettings } from '../../../src/shared/settings';
import { notificationFor, routeFor, shouldNotify } from '../../../src/main/shell/alert-notification';
import { isPaused, pauseLabel, pausedFor, pausedUntilResumed, resumed, ONE_HOUR_MS } from '../../../src/main/shell/pause';

const now = new Date('2026-11-25T12:00:00Z');
const newIssue: Alert = { kind: 'new', issueId: 7, projectId: 1, projectName: 'web', title: 'TypeError: x is undefined', count: 1, at: now.toISOString() };
const regression: Alert = { ...newIssue, kind: 'regression', count: 42 };
const summary: Alert = { kind: 'summary', title: '9 new issues (notifications coalesced)', suppressed: 9, at: now.toISOString() };

describe('which alerts notify', () => {
  const notifications = defaultSettings().notifications;

  it('follows onNew and onRegression, and shows a summary unless both are off', () => {
    const cases: [Partial<typeof notifications>, boolean, boolean, boolean][] = [
      [{}, true, true, true],
      [{ onNew: false }, false, true, true],
      [{ onRegression: false }, true, false, true],
      [{ onNew: false, onRegression: false }, false, false, false],
      [{ enabled: false }, false, false, false],
    ];
    for (const [change, expectNew, expectRegression, expectSummary] of cases) {
      const settings = { ...notifications, ...change };
      expect([shouldNotify(newIssue, settings, now), shouldNotify(regression, settings, now), shouldNotify(summary, settings, now)], JSON.stringify(change)).toEqual([
        expectNew,
        expectRegression,
        expectSummary,
      ]);
    }
  });

  it('is silent while paused for an hour, and speaks again when the hour is over', () => {
    const paused = pausedFor(notifications, ONE_HOUR_MS, now);
    expect(paused.pausedUntil).toBe('2026-11-25T13:00:00.000Z');
    expect(shouldNotify(newIssue, paused, new Date('2026-11-25T12:59:59Z'))).toBe(false);
    expect(shouldNotify(newIssue, paused, new Date('2026-11-25T13:00:01Z'))).toBe(true);
  });

  it('is silent until resumed when paused without an end', () => {
    const paused = pausedUntilResumed(notifications);
    expect(paused.pausedUntil).toBe('forever');
    expect(shouldNotify(regression, paused, new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(shouldNotify(regression, resumed(paused), now)).toBe(true);
  });

  it('treats an unreadable pause time as not paused', () => {
    expect(isPaused({ ...notifications, pausedUntil: 'soon' }, now)).toBe(false);
  });

  it('labels the pause for the tray', () => {
    expect(pauseLabel(notifications, now)).toBeNull();
    expect(pauseLabel(pausedUntilResumed(notifications), now)).toBe('Paused until resumed');
    const until = pausedFor(notifications, ONE_HOUR_MS, now);
    const local = new Date(now.getTime() + ONE_HOUR_MS);
    const hhmm = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    expect(pauseLabel(until, now)).toBe(`Paused until ${hhmm}`);
  });
});

describe('what a notification says', () => {
  it('names the issue, the project and the count', () => {
    expect(notificationFor(newIssue)).toEqual({ title: 'TypeError: x is undefined', body: 'New issue in web · 1 event' });
    expect(notificationFor(regression)).toEqual({ title: 'TypeError: x is undefined', body: 'Regression in web · 42 events' });
  });

  it('summarizes a coalesced burst and opens the issue list for it', () => {
    expect(notificationFor(summary)).toEqual({ title: '9 new issues (notifications coalesced)', body: '9 more alerts — open Stacktray to see them.' });
    expect(routeFor(summary)).toEqual({ hashRoute: '#/' });
    expect(routeFor(newIssue)).toEqual({ issueId: 7 });
    expect(routeFor({ ...summary, projectId: 3, projectName: 'web' })).toEqual({ hashRoute: '#/?project=3' });
  });

  it('keeps a long multi-line title to one short line', () => {
    const title = `Error: ${'a'.repeat(200)}\n    at main (app.js:1:1)`;
    const spec = notificationFor({ ...newIssue, title });
    expect(spec.title).toHaveLength(120);
    expect(spec.title.endsWith('…')).toBe(true);
    expect(spec.title).not.toContain('\n');
  });
});
