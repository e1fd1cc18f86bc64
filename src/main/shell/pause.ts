/** "Pause notifications" as stored in `Settings.notifications.pausedUntil`: pure functions of a clock. */
import type { Settings } from '../../shared/settings';

export const PAUSED_FOREVER = 'forever';
export const ONE_HOUR_MS = 60 * 60 * 1000;

type NotificationSettings = Settings['notifications'];

export function isPaused(notifications: NotificationSettings, now: Date): boolean {
  const until = notifications.pausedUntil;
  if (until === null) return false;
  if (until === PAUSED_FOREVER) return true;
  const end = Date.parse(until);
  // An unreadable value must not silence notifications for good.
  return Number.isFinite(end) && end > now.getTime();
}

export function pausedFor(notifications: NotificationSettings, durationMs: number, now: Date): NotificationSettings {
  return { ...notifications, pausedUntil: new Date(now.getTime() + durationMs).toISOString() };
}

export function pausedUntilResumed(notifications: NotificationSettings): NotificationSettings {
  return { ...notifications, pausedUntil: PAUSED_FOREVER };
}

export function resumed(notifications: NotificationSettings): NotificationSettings {
  return { ...notifications, pausedUntil: null };
}

/** A short menu label: "Paused until resumed" / "Paused until 14:05". */
export function pauseLabel(notifications: NotificationSettings, now: Date): string | null {
  if (!isPaused(notifications, now)) return null;
  if (notifications.pausedUntil === PAUSED_FOREVER) return 'Paused until resumed';
  const until = new Date(notifications.pausedUntil ?? 0);
  const hh = String(until.getHours()).padStart(2, '0');
  const mm = String(until.getMinutes()).padStart(2, '0');
  return `Paused until ${hh}:${mm}`;
}
