/** The tray's tooltip and menu as plain data, built from what the core reports. Pure. */
import type { Issue } from '../../shared/issue';
import type { Project } from '../../shared/project';
import type { Settings } from '../../shared/settings';
import { pauseLabel } from './pause';
import type { MenuItemSpec } from './platform';

export const RECENT_ISSUES_IN_TRAY = 8;
const MAX_LABEL_LENGTH = 60;

export interface TrayModel {
  unresolvedCount: number;
  recentIssues: Issue[];
  projects: Project[];
  notifications: Settings['notifications'];
  openAtLogin: boolean;
  now: Date;
}

export interface TrayActions {
  openWindow(): void;
  openIssue(issueId: number): void;
  copyDsn(dsn: string): void;
  pauseForOneHour(): void;
  pauseUntilResumed(): void;
  resume(): void;
  setOpenAtLogin(open: boolean): void;
  quit(): void;
}

export function trayTooltip(model: Pick<TrayModel, 'unresolvedCount' | 'notifications' | 'now'>): string {
  const issues = unresolvedText(model.unresolvedCount);
  const paused = pauseLabel(model.notifications, model.now);
  return paused === null ? `Stacktray — ${issues}` : `Stacktray — ${issues} (notifications ${paused.toLowerCase()})`;
}

export function trayMenu(model: TrayModel, actions: TrayActions): MenuItemSpec[] {
  return [
    // Many Linux trays (AppIndicator) never show a tooltip: the count is also the menu's first line.
    { label: capitalized(unresolvedText(model.unresolvedCount)), enabled: false },
    { label: 'Open Stacktray', click: () => actions.openWindow() },
    { type: 'separator' },
    { label: 'Recent issues', type: 'submenu', submenu: recentIssueItems(model.recentIssues, actions) },
    { label: 'Copy DSN', type: 'submenu', submenu: dsnItems(model.projects, actions) },
    { type: 'separator' },
    ...pauseItems(model, actions),
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: model.openAtLogin,
      click: () => actions.setOpenAtLogin(!model.openAtLogin),
    },
    { type: 'separator' },
    { label: 'Quit Stacktray', click: () => actions.quit() },
  ];
}

function unresolvedText(count: number): string {
  return count === 0 ? 'no unresolved issues' : `${count} unresolved issue${count === 1 ? '' : 's'}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function recentIssueItems(issues: Issue[], actions: TrayActions): MenuItemSpec[] {
  if (issues.length === 0) return [{ label: 'No issues yet', enabled: false }];
  return issues.slice(0, RECENT_ISSUES_IN_TRAY).map((issue) => ({
    label: `${shorten(issue.title)} (${issue.count})`,
    click: () => actions.openIssue(issue.id),
  }));
}

function dsnItems(projects: Project[], actions: TrayActions): MenuItemSpec[] {
  if (projects.length === 0) return [{ label: 'No projects yet', enabled: false }];
  return projects.map((project) => ({ label: shorten(project.name), click: () => actions.copyDsn(project.dsn) }));
}

function pauseItems(model: TrayModel, actions: TrayActions): MenuItemSpec[] {
  const paused = pauseLabel(model.notifications, model.now);
  if (paused !== null) {
    return [
      { label: `Notifications: ${paused.toLowerCase()}`, enabled: false },
      { label: 'Resume notifications', click: () => actions.resume() },
    ];
  }
  return [
    {
      label: 'Pause notifications',
      type: 'submenu',
      enabled: model.notifications.enabled,
      submenu: [
        { label: 'For 1 hour', click: () => actions.pauseForOneHour() },
        { label: 'Until resumed', click: () => actions.pauseUntilResumed() },
      ],
    },
  ];
}

/** Menu labels are one line; `&` would become a keyboard accelerator on Windows and Linux. */
function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const short = oneLine.length <= MAX_LABEL_LENGTH ? oneLine : `${oneLine.slice(0, MAX_LABEL_LENGTH - 1)}…`;
  return short.replace(/&/g, '&&');
}
