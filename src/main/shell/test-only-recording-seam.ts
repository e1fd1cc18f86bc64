/**
 * TEST ONLY. A test cannot see or click a native notification, nor read a tray icon, so the Electron
 * smoke test (test/electron/) asks the app to record them: each notification with its click, and the
 * tray's tooltip and menu, in a global the test reads (and clicks) through Playwright. What the user
 * gets is unchanged: the real notification and tray are still shown. The switch is an environment
 * variable read once at start-up, honoured only by an unpackaged app (a test's `electron .`) and only
 * when it is exactly "1": a shipped app cannot turn it on, by accident or otherwise.
 */
import type { MenuItemSpec, NotificationSpec, ShellPlatform } from './platform';

export const TEST_ONLY_RECORDING_ENV = 'STACKTRAY_TEST_ONLY_RECORDING';

/** Where the recording lives in the main process (`globalThis[...]`). */
export const TEST_ONLY_RECORDING_GLOBAL = '__stacktrayTestOnlyRecording';

export interface RecordedNotification extends NotificationSpec {
  /** What a click on the native notification does. */
  click(): void;
}

export interface TestOnlyRecording {
  notifications: RecordedNotification[];
  /** The tray as last set: tooltip and the menu's labels (submenus as "Parent > Child"). */
  tray: { tooltip: string; menu: string[] } | null;
}

export function testOnlyRecordingEnabled(env: NodeJS.ProcessEnv, isPackaged: boolean): boolean {
  return !isPackaged && env[TEST_ONLY_RECORDING_ENV] === '1';
}

/**
 * The platform with notifications and the tray recorded into `recording` before they are shown.
 * Notifications count as supported, so the shell raises them where the OS (a CI runner without a
 * notification daemon) would not.
 */
export function recordingPlatform(platform: ShellPlatform, recording: TestOnlyRecording): ShellPlatform {
  const overrides: Partial<ShellPlatform> = {
    isNotificationSupported: () => true,
    showNotification(spec, onClick) {
      recording.notifications.push({ ...spec, click: onClick });
      if (platform.isNotificationSupported()) platform.showNotification(spec, onClick);
    },
    setTray(tooltip, menu) {
      platform.setTray(tooltip, menu);
      recording.tray = { tooltip, menu: menuLabels(menu) };
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

export function menuLabels(menu: MenuItemSpec[], parent = ''): string[] {
  return menu.flatMap((item) => {
    if (item.label === undefined) return [];
    const label = parent === '' ? item.label : `${parent} > ${item.label}`;
    return [label, ...menuLabels(item.submenu ?? [], label)];
  });
}
