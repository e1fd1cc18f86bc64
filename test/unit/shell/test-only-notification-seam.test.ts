/** The smoke test's notification seam: off unless a test turns it on, and never in a packaged app. */
import { describe, expect, it } from 'vitest';
import {
  recordingNotifications,
  TEST_ONLY_RECORD_NOTIFICATIONS_ENV,
  testOnlyNotificationRecording,
  type RecordedNotification,
} from '../../../src/main/shell/test-only-notification-seam';
import { RecordingPlatform } from './recording-platform';
import { launchPerTest, running, sendError, waitUntil } from './shell-harness';

const start = launchPerTest();

describe('the test-only notification seam', () => {
  it('is on only for an unpackaged app whose environment says exactly "1"', () => {
    expect(TEST_ONLY_RECORD_NOTIFICATIONS_ENV).toBe('STACKTRAY_TEST_ONLY_RECORD_NOTIFICATIONS');
    expect(testOnlyNotificationRecording({ [TEST_ONLY_RECORD_NOTIFICATIONS_ENV]: '1' }, false)).toBe(true);
    expect(testOnlyNotificationRecording({ [TEST_ONLY_RECORD_NOTIFICATIONS_ENV]: '1' }, true)).toBe(false);
    for (const value of [undefined, '', '0', 'true', 'yes', ' 1']) {
      expect(testOnlyNotificationRecording({ [TEST_ONLY_RECORD_NOTIFICATIONS_ENV]: value }, false)).toBe(false);
    }
    expect(testOnlyNotificationRecording({}, false)).toBe(false);
  });

  it('records each notification with its click, still shows it where the OS can, and leaves the rest of the platform alone', () => {
    const platform = new RecordingPlatform();
    const recorded: RecordedNotification[] = [];
    const seam = recordingNotifications(platform, recorded);
    let clicks = 0;
    seam.showNotification({ title: 'TypeError: x', body: 'New issue' }, () => (clicks += 1));
    expect(recorded.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'TypeError: x', body: 'New issue' }]);
    expect(platform.notifications.map((n) => n.spec)).toEqual([{ title: 'TypeError: x', body: 'New issue' }]);
    recorded[0]?.click();
    expect(clicks).toBe(1);

    seam.writeClipboard('dsn');
    expect(platform.clipboard).toEqual(['dsn']);
    expect(seam.os).toBe('linux');

    // A runner without a notification daemon: recorded all the same, not shown.
    platform.notificationsSupported = false;
    expect(seam.isNotificationSupported()).toBe(true);
    seam.showNotification({ title: 'second', body: '' }, () => undefined);
    expect(recorded).toHaveLength(2);
    expect(platform.notifications).toHaveLength(1);
  });

  it('through the real shell: a new issue is recorded, and its click opens the issue', async () => {
    const platform = new RecordingPlatform();
    platform.notificationsSupported = false;
    const recorded: RecordedNotification[] = [];
    const app = await start({ platform: recordingNotifications(platform, recorded) as RecordingPlatform });
    const { core } = running(app);
    await sendError(core, 'SyntaxError', 'seen through the seam');
    await waitUntil(() => recorded.length === 1, 'the notification was recorded');
    expect(recorded[0]?.title).toBe('SyntaxError: seen through the seam');
    const window = platform.windows[0];
    window?.requestClose();
    recorded[0]?.click();
    expect(window?.current.visible).toBe(true);
    expect(window?.current.route).toBe(`#/issues/${core.recentIssues(1)[0]?.id}`);
  });
});
