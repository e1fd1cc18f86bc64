import { describe, expect, it } from 'vitest';
import { DesktopNotifier, OPEN_IN_EDITOR_ACTION } from '../../../src/main/shell/desktop-notifier';
import type { Alert } from '../../../src/shared/issue';
import { defaultSettings, type Settings } from '../../../src/shared/settings';
import { RecordingPlatform } from './recording-platform';

const alert = (issueId: number): Alert => ({ kind: 'new', issueId, projectId: 1, projectName: 'web', title: `Error ${issueId}`, count: 1, at: '2026-11-25T12:00:00Z' });

describe('DesktopNotifier', () => {
  it('holds alerts raised while the core starts and shows them once settings are readable (a few at most)', () => {
    const platform = new RecordingPlatform();
    let settings: Settings | undefined;
    const opened: unknown[] = [];
    const notifier = new DesktopNotifier({ platform, settings: () => settings, now: () => new Date('2026-11-25T12:00:00Z'), open: (target) => opened.push(target) });
    for (let id = 1; id <= 7; id += 1) notifier.notify(alert(id));
    expect(platform.notifications).toHaveLength(0);

    settings = defaultSettings();
    notifier.flushPending();
    expect(platform.notifications.map((n) => n.spec.title)).toEqual(['Error 1', 'Error 2', 'Error 3', 'Error 4', 'Error 5']);
    platform.notifications[2]?.click();
    expect(opened).toEqual([{ issueId: 3 }]);
    notifier.flushPending();
    expect(platform.notifications).toHaveLength(5);
  });

  it('offers "Open in editor" for the top in-app frame of the alert’s issue, and opens it from the action', () => {
    const platform = new RecordingPlatform();
    const edited: unknown[] = [];
    const notifier = new DesktopNotifier({
      platform,
      settings: () => defaultSettings(),
      now: () => new Date('2026-11-25T12:00:00Z'),
      open: () => undefined,
      editorTarget: (raised) => (raised.issueId === 1 ? { path: '/src/cart.js', line: 7, eventId: 'a'.repeat(32) } : null),
      openInEditor: (request) => edited.push(request),
    });
    notifier.notify(alert(1));
    notifier.notify(alert(2));
    expect(platform.notifications.map((n) => n.spec.actions)).toEqual([[OPEN_IN_EDITOR_ACTION], undefined]);
    platform.notifications[0]?.action(0);
    expect(edited).toEqual([{ path: '/src/cart.js', line: 7, eventId: 'a'.repeat(32) }]);
  });
});
