/** The smoke test's recording seam: off unless a test turns it on, and never in a packaged app. */
import { describe, expect, it } from 'vitest';
import {
  menuLabels,
  recordingPlatform,
  TEST_ONLY_RECORDING_ENV,
  testOnlyRecordingEnabled,
  type TestOnlyRecording,
} from '../../../src/main/shell/test-only-recording-seam';
import { RecordingPlatform } from './recording-platform';
import { launchPerTest, running, sendError, waitUntil } from './shell-harness';

const start = launchPerTest();

describe('the test-only recording seam', () => {
  it('is on only for an unpackaged app whose environment says exactly "1"', () => {
    expect(TEST_ONLY_RECORDING_ENV).toBe('STACKTRAY_TEST_ONLY_RECORDING');
    expect(testOnlyRecordingEnabled({ [TEST_ONLY_RECORDING_ENV]: '1' }, false)).toBe(true);
    expect(testOnlyRecordingEnabled({ [TEST_ONLY_RECORDING_ENV]: '1' }, true)).toBe(false);
    for (const value of [undefined, '', '0', 'true', 'yes', ' 1']) {
      expect(testOnlyRecordingEnabled({ [TEST_ONLY_RECORDING_ENV]: value }, false)).toBe(false);
    }
    expect(testOnlyRecordingEnabled({}, false)).toBe(false);
  });

  it('the main process reads the switch once, at start-up, with app.isPackaged', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(`${__dirname}/../../../src/main/index.ts`, 'utf8');
    expect(source.match(/testOnlyRecordingEnabled\(/g)).toHaveLength(1);
    expect(source).toMatch(/^const TEST_ONLY_RECORDING = testOnlyRecordingEnabled\(process\.env, app\.isPackaged\);$/m);
  });

  it('records each notification with its click and the tray, still shows them, and leaves the rest alone', () => {
    const platform = new RecordingPlatform();
    const recording: TestOnlyRecording = { notifications: [], tray: null };
    const seam = recordingPlatform(platform, recording);
    let clicks = 0;
    seam.showNotification({ title: 'TypeError: x', body: 'New issue' }, () => (clicks += 1));
    expect(recording.notifications.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'TypeError: x', body: 'New issue' }]);
    expect(platform.notifications.map((n) => n.spec)).toEqual([{ title: 'TypeError: x', body: 'New issue' }]);
    recording.notifications[0]?.click();
    expect(clicks).toBe(1);

    seam.setTray('Stacktray — 1 unresolved issue', [{ label: 'Open' }, { type: 'separator' }, { label: 'Pause', submenu: [{ label: 'For 1 hour' }] }]);
    expect(recording.tray).toEqual({ tooltip: 'Stacktray — 1 unresolved issue', menu: ['Open', 'Pause', 'Pause > For 1 hour'] });
    expect(platform.tray?.tooltip).toBe('Stacktray — 1 unresolved issue');

    seam.writeClipboard('dsn');
    expect(platform.clipboard).toEqual(['dsn']);
    expect(seam.os).toBe('linux');

    // A runner without a notification daemon: recorded all the same, not shown.
    platform.notificationsSupported = false;
    expect(seam.isNotificationSupported()).toBe(true);
    seam.showNotification({ title: 'second', body: '' }, () => undefined);
    expect(recording.notifications).toHaveLength(2);
    expect(platform.notifications).toHaveLength(1);
  });

  it('through the real shell: a new issue is recorded, its click opens the issue, the tray counts it', async () => {
    const platform = new RecordingPlatform();
    platform.notificationsSupported = false;
    const recording: TestOnlyRecording = { notifications: [], tray: null };
    const app = await start({ platform: recordingPlatform(platform, recording) as RecordingPlatform });
    const { core } = running(app);
    expect(recording.tray?.menu[0]).toBe('No unresolved issues');
    await sendError(core, 'SyntaxError', 'seen through the seam');
    await waitUntil(() => recording.notifications.length === 1, 'the notification was recorded');
    expect(recording.notifications.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'SyntaxError: seen through the seam', body: 'New issue in default · 1 event' },
    ]);
    const window = platform.windows[0];
    window?.requestClose();
    recording.notifications[0]?.click();
    expect(window?.current.visible).toBe(true);
    expect(window?.current.route).toBe(`#/issues/${core.recentIssues(1)[0]?.id}`);
    app.clock.advance(1000);
    expect(recording.tray?.tooltip).toBe('Stacktray — 1 unresolved issue');
  });

  it('lists menu labels with their submenus', () => {
    expect(menuLabels([{ label: 'A', submenu: [{ label: 'B', submenu: [{ label: 'C' }] }] }, { type: 'separator' }])).toEqual(['A', 'A > B', 'A > B > C']);
  });
});
