import { describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/shared/issue';
import type { Project } from '../../../src/shared/project';
import { defaultSettings } from '../../../src/shared/settings';
import { trayMenu, trayTooltip, type TrayActions, type TrayModel } from '../../../src/main/shell/tray-menu';
import type { MenuItemSpec } from '../../../src/main/shell/platform';

const now = new Date('2026-11-25T12:00:00Z');

function issue(id: number, title: string, count: number): Issue {
  return {
    id, projectId: 1, title, culprit: 'app.js', level: 'error', status: 'unresolved', resolvedInNextRelease: false,
    count, userCount: 0, firstSeen: now.toISOString(), lastSeen: now.toISOString(), firstRelease: null, lastRelease: null,
    platform: 'javascript', metadata: { message: title }, isNew: true, isRegression: false,
  };
}

function project(id: number, name: string): Project {
  const key = String(id).repeat(32).slice(0, 32);
  return { id, name, publicKey: key, keyEnabled: true, dsn: `http://${key}@127.0.0.1:8969/${id}`, webhookUrl: null, fingerprintRules: '', upstreamDsn: null, forwarding: null, createdAt: now.toISOString() };
}

function recordingActions(): { actions: TrayActions; log: string[] } {
  const log: string[] = [];
  return {
    log,
    actions: {
      openWindow: () => log.push('openWindow'),
      openIssue: (id) => log.push(`openIssue ${id}`),
      copyDsn: (dsn) => log.push(`copyDsn ${dsn}`),
      pauseForOneHour: () => log.push('pauseForOneHour'),
      pauseUntilResumed: () => log.push('pauseUntilResumed'),
      resume: () => log.push('resume'),
      setOpenAtLogin: (open) => log.push(`setOpenAtLogin ${open}`),
      quit: () => log.push('quit'),
    },
  };
}

function model(change: Partial<TrayModel> = {}): TrayModel {
  return { unresolvedCount: 0, recentIssues: [], projects: [], notifications: defaultSettings().notifications, openAtLogin: false, now, ...change };
}

const labels = (items: MenuItemSpec[]): (string | undefined)[] => items.map((item) => item.label ?? item.type);

describe('tray tooltip', () => {
  it('counts unresolved issues in words', () => {
    expect(trayTooltip(model())).toBe('Stacktray — no unresolved issues');
    expect(trayTooltip(model({ unresolvedCount: 1 }))).toBe('Stacktray — 1 unresolved issue');
    expect(trayTooltip(model({ unresolvedCount: 12 }))).toBe('Stacktray — 12 unresolved issues');
    expect(trayTooltip(model({ unresolvedCount: 2, notifications: { ...defaultSettings().notifications, pausedUntil: 'forever' } }))).toBe(
      'Stacktray — 2 unresolved issues (notifications paused until resumed)',
    );
  });
});

describe('tray menu', () => {
  it('lists open, recent issues, DSNs, pause, start at login and quit', () => {
    const { actions } = recordingActions();
    const menu = trayMenu(model({ recentIssues: [issue(3, 'Boom', 5)], projects: [project(1, 'web')] }), actions);
    expect(labels(menu)).toEqual([
      'No unresolved issues', 'Open Stacktray', 'separator', 'Recent issues', 'Copy DSN', 'separator', 'Pause notifications', 'Start at login', 'separator', 'Quit Stacktray',
    ]);
    expect(labels(menu[3]?.submenu ?? [])).toEqual(['Boom (5)']);
    expect(labels(menu[4]?.submenu ?? [])).toEqual(['web']);
    expect(labels(menu[6]?.submenu ?? [])).toEqual(['For 1 hour', 'Until resumed']);
  });

  it('routes each item to its action', () => {
    const { actions, log } = recordingActions();
    const menu = trayMenu(model({ recentIssues: [issue(3, 'Boom', 5)], projects: [project(2, 'api')], openAtLogin: true }), actions);
    menu[1]?.click?.();
    menu[3]?.submenu?.[0]?.click?.();
    menu[4]?.submenu?.[0]?.click?.();
    menu[6]?.submenu?.[0]?.click?.();
    menu[6]?.submenu?.[1]?.click?.();
    menu[7]?.click?.();
    menu[9]?.click?.();
    expect(log).toEqual([
      'openWindow', 'openIssue 3', `copyDsn http://${'2'.repeat(32)}@127.0.0.1:8969/2`, 'pauseForOneHour', 'pauseUntilResumed', 'setOpenAtLogin false', 'quit',
    ]);
    expect(menu[7]).toMatchObject({ type: 'checkbox', checked: true });
  });

  it('offers Resume while paused and says until when', () => {
    const { actions, log } = recordingActions();
    const menu = trayMenu(model({ notifications: { ...defaultSettings().notifications, pausedUntil: 'forever' } }), actions);
    expect(labels(menu.slice(6, 8))).toEqual(['Notifications: paused until resumed', 'Resume notifications']);
    expect(menu[6]?.enabled).toBe(false);
    menu[7]?.click?.();
    expect(log).toEqual(['resume']);
  });

  it('starts with the unresolved count, which Linux trays without tooltips still show', () => {
    const { actions } = recordingActions();
    expect(trayMenu(model({ unresolvedCount: 1 }), actions)[0]).toEqual({ label: '1 unresolved issue', enabled: false });
    expect(trayMenu(model({ unresolvedCount: 42 }), actions)[0]).toEqual({ label: '42 unresolved issues', enabled: false });
  });

  it('shows disabled placeholders when there is nothing to list, and escapes & in labels', () => {
    const { actions } = recordingActions();
    const empty = trayMenu(model(), actions);
    expect(empty[3]?.submenu).toEqual([{ label: 'No issues yet', enabled: false }]);
    expect(empty[4]?.submenu).toEqual([{ label: 'No projects yet', enabled: false }]);
    const many = Array.from({ length: 12 }, (_, i) => issue(i + 1, `Error ${i + 1}`, 1));
    const full = trayMenu(model({ recentIssues: many, projects: [project(1, 'R&D')] }), actions);
    expect(full[3]?.submenu).toHaveLength(8);
    expect(full[4]?.submenu?.[0]?.label).toBe('R&&D');
  });
});
