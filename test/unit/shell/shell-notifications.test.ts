/** Alerts from the real core become notifications through the shell; Electron is the recording fake. */
import { describe, expect, it } from 'vitest';
import { ONE_HOUR_MS } from '../../../src/main/shell/pause';
import { alertsPublished, launchPerTest, resolveIssue, running, sendError } from './shell-harness';

const start = launchPerTest();

describe('notifications from alerts', () => {
  it('shows a new issue with its title, project and count; a click opens the window on the issue', async () => {
    const app = await start();
    const { core, window } = running(app);
    expect(window.requestClose()).toBe(true);
    expect(window.current.visible).toBe(false);

    const published = alertsPublished(core, 1);
    await sendError(core, 'TypeError', 'x is undefined');
    await published;

    const issue = core.recentIssues(1)[0];
    const projectName = core.listProjects()[0]?.name;
    expect(app.platform.notifications.map((n) => n.spec)).toEqual([
      { title: 'TypeError: x is undefined', body: `New issue in ${projectName} · 1 event` },
    ]);
    app.platform.notifications[0]?.click();
    expect(window.current).toEqual({ route: `#/issues/${issue?.id}`, visible: true });
    expect(window.log.slice(-2)).toEqual([`openIssue ${issue?.id}`, 'show']);
  });

  it('a burst shows a few popups and then one summary, as the core coalesces it; the summary opens the list', async () => {
    const app = await start({ alertCoalescing: { limit: 3, windowMs: 1500 } });
    const { core, window } = running(app);
    // Three pass at once; the other three wait for the window to close and come back as one summary
    // (the window is long enough for all six requests to land in it).
    const published = alertsPublished(core, 4);
    for (const type of ['AError', 'BError', 'CError', 'DError', 'EError', 'FError']) await sendError(core, type, 'burst');
    await published;

    expect(app.platform.notifications.map((n) => n.spec)).toEqual([
      { title: 'AError: burst', body: `New issue in ${core.listProjects()[0]?.name} · 1 event` },
      { title: 'BError: burst', body: `New issue in ${core.listProjects()[0]?.name} · 1 event` },
      { title: 'CError: burst', body: `New issue in ${core.listProjects()[0]?.name} · 1 event` },
      { title: `3 new issues in ${core.listProjects()[0]?.name} (notifications coalesced)`, body: '3 more alerts — open Stacktray to see them.' },
    ]);
    app.platform.notifications[3]?.click();
    expect(window.current).toEqual({ route: `#/?project=${core.listProjects()[0]?.id}`, visible: true });
  });

  it('stays silent for an hour when paused from the tray, then notifies again', async () => {
    const app = await start();
    const { core } = running(app);
    app.platform.clickTray('Pause notifications', 'For 1 hour');
    expect(core.settings().notifications.pausedUntil).toBe(new Date(app.clock.now().getTime() + ONE_HOUR_MS).toISOString());
    expect(app.platform.trayItem('Resume notifications').enabled).not.toBe(false);

    let published = alertsPublished(core, 1);
    await sendError(core, 'RangeError', 'during the pause');
    await published;
    expect(app.platform.notifications).toHaveLength(0);

    // When the hour is over the tray offers "Pause" again by itself, and alerts notify.
    app.clock.advance(ONE_HOUR_MS + 1000);
    expect(app.platform.trayItem('Pause notifications').submenu?.map((item) => item.label)).toEqual(['For 1 hour', 'Until resumed']);
    published = alertsPublished(core, 1);
    await sendError(core, 'SyntaxError', 'after the pause');
    await published;
    expect(app.platform.notifications.map((n) => n.spec.title)).toEqual(['SyntaxError: after the pause']);
  });

  it('stays silent until resumed', async () => {
    const app = await start();
    const { core } = running(app);
    app.platform.clickTray('Pause notifications', 'Until resumed');
    expect(core.settings().notifications.pausedUntil).toBe('forever');
    expect(app.platform.tray?.tooltip).toBe('Stacktray — no unresolved issues (notifications paused until resumed)');

    let published = alertsPublished(core, 1);
    await sendError(core, 'EvalError', 'while paused');
    await published;
    app.clock.advance(24 * ONE_HOUR_MS);
    expect(app.platform.notifications).toHaveLength(0);

    app.platform.clickTray('Resume notifications');
    expect(core.settings().notifications.pausedUntil).toBeNull();
    published = alertsPublished(core, 1);
    await sendError(core, 'URIError', 'after resuming');
    await published;
    expect(app.platform.notifications.map((n) => n.spec.title)).toEqual(['URIError: after resuming']);
  });

  it('respects onNew and onRegression', async () => {
    const app = await start({ settings: { notifications: { enabled: true, onNew: false, onRegression: true, pausedUntil: null } } });
    const { core } = running(app);

    let published = alertsPublished(core, 1);
    await sendError(core, 'TypeError', 'comes back');
    await published;
    expect(app.platform.notifications).toHaveLength(0);

    const issueId = core.recentIssues(1)[0]?.id ?? 0;
    await resolveIssue(core, issueId);
    published = alertsPublished(core, 1);
    await sendError(core, 'TypeError', 'comes back');
    await published;
    expect(app.platform.notifications.map((n) => n.spec)).toEqual([
      { title: 'TypeError: comes back', body: `Regression in ${core.listProjects()[0]?.name} · 2 events` },
    ]);

    core.updateSettings({ notifications: { ...core.settings().notifications, onNew: true, onRegression: false } });
    await resolveIssue(core, issueId);
    published = alertsPublished(core, 1);
    await sendError(core, 'TypeError', 'comes back');
    await published;
    expect(app.platform.notifications).toHaveLength(1);
  });

  it('shows nothing where the OS has no notifications', async () => {
    const app = await start();
    app.platform.notificationsSupported = false;
    const { core } = running(app);
    const published = alertsPublished(core, 1);
    await sendError(core, 'TypeError', 'unseen');
    await published;
    expect(app.platform.notifications).toHaveLength(0);
  });
});
