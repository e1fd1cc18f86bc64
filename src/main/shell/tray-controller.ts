/** Keeps the tray (tooltip, menu) and the dock badge in step with the core's live stream. */
import type { StreamMessage } from '../../shared/api';
import type { Core } from '../core/core-types';
import type { ShellClock } from './clock';
import { isPaused, PAUSED_FOREVER } from './pause';
import type { ShellPlatform } from './platform';
import { RECENT_ISSUES_IN_TRAY, trayMenu, trayTooltip, type TrayActions } from './tray-menu';

/** Under a burst of events the tray is rebuilt at most this often. */
export const TRAY_REFRESH_MS = 500;

type TrayCore = Pick<Core, 'subscribe' | 'unresolvedCount' | 'recentIssues' | 'listProjects' | 'settings'>;

export interface TrayControllerDeps {
  platform: Pick<ShellPlatform, 'setTray' | 'setBadgeCount'>;
  core: TrayCore;
  actions: TrayActions;
  clock: ShellClock;
}

export class TrayController {
  private unsubscribe: (() => void) | null = null;
  private cancelRefresh: (() => void) | null = null;
  private cancelPauseExpiry: (() => void) | null = null;

  constructor(private readonly deps: TrayControllerDeps) {}

  start(): void {
    this.unsubscribe = this.deps.core.subscribe((message) => this.onMessage(message));
    this.refresh();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.cancelRefresh?.();
    this.cancelPauseExpiry?.();
  }

  /** Rebuilds tooltip, menu and badge from the core now. */
  refresh(): void {
    this.cancelRefresh?.();
    this.cancelRefresh = null;
    const { core, platform, clock, actions } = this.deps;
    const settings = core.settings();
    const model = {
      unresolvedCount: core.unresolvedCount(),
      recentIssues: core.recentIssues(RECENT_ISSUES_IN_TRAY),
      projects: core.listProjects(),
      notifications: settings.notifications,
      openAtLogin: settings.desktop.openAtLogin,
      now: clock.now(),
    };
    platform.setTray(trayTooltip(model), trayMenu(model, actions));
    platform.setBadgeCount(model.unresolvedCount);
    this.scheduleRefreshWhenPauseEnds(settings.notifications, model.now);
  }

  private onMessage(message: StreamMessage): void {
    switch (message.type) {
      case 'issue.created':
      case 'issue.updated':
      case 'issue.deleted':
      case 'project.changed':
      case 'project.deleted':
      case 'settings.changed':
        this.scheduleRefresh();
        return;
      case 'event.created':
      case 'alert':
        return;
    }
  }

  private scheduleRefresh(): void {
    if (this.cancelRefresh !== null) return;
    this.cancelRefresh = this.deps.clock.setTimer(() => this.refresh(), TRAY_REFRESH_MS);
  }

  /** "Paused until 14:05" must turn back into "Pause notifications" at 14:05 without other activity. */
  private scheduleRefreshWhenPauseEnds(notifications: TrayModelNotifications, now: Date): void {
    this.cancelPauseExpiry?.();
    this.cancelPauseExpiry = null;
    const until = notifications.pausedUntil;
    if (until === null || until === PAUSED_FOREVER || !isPaused(notifications, now)) return;
    const delay = Date.parse(until) - now.getTime() + 1000;
    this.cancelPauseExpiry = this.deps.clock.setTimer(() => this.refresh(), delay);
  }
}

type TrayModelNotifications = ReturnType<TrayCore['settings']>['notifications'];
