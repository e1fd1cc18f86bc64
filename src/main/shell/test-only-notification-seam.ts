/**
 * TEST ONLY. Native notifications cannot be seen or clicked by a test, so the Electron smoke test
 * (test/electron/) asks the app to record them: each one is kept, with its click, in a global the test
 * reads and clicks through Playwright. The switch is an environment variable read once at start-up,
 * honoured only by an unpackaged app (a test's `electron out/main/index.js`) and only when it is
 * exactly "1": a shipped app cannot turn it on, by accident or otherwise.
 */
import type { NotificationSpec, ShellPlatform } from './platform';

export const TEST_ONLY_RECORD_NOTIFICATIONS_ENV = 'STACKTRAY_TEST_ONLY_RECORD_NOTIFICATIONS';

/** Where the recorded notifications live in the main process (`globalThis[...]`). */
export const TEST_ONLY_RECORDED_NOTIFICATIONS_GLOBAL = '__stacktrayTestOnlyRecordedNotifications';

export interface RecordedNotification extends NotificationSpec {
  /** What a click on the native notification does. */
  click(): void;
}

export function testOnlyNotificationRecording(env: NodeJS.ProcessEnv, isPackaged: boolean): boolean {
  return !isPackaged && env[TEST_ONLY_RECORD_NOTIFICATIONS_ENV] === '1';
}

/**
 * The platform with every notification recorded into `record` before it is shown. It counts as
 * supported, so the shell raises it where the OS (a CI runner without a notification daemon) would not.
 */
export function recordingNotifications(platform: ShellPlatform, record: RecordedNotification[]): ShellPlatform {
  const overrides: Partial<ShellPlatform> = {
    isNotificationSupported: () => true,
    showNotification(spec, onClick) {
      record.push({ ...spec, click: onClick });
      if (platform.isNotificationSupported()) platform.showNotification(spec, onClick);
    },
  };
  return new Proxy(platform, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in overrides) return overrides[property as keyof ShellPlatform];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
