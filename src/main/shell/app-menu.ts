/** The application menu: the platform's usual roles plus Help → data folder, command line tool and About. Pure. */
import type { MenuItemSpec } from './platform';

export interface AppMenuActions {
  showAbout(): void;
  openDataFolder(): void;
  installCommandLineTool(): void;
}

/**
 * `isPackaged` hides Toggle Developer Tools (and its shortcut, which comes from the menu item): a shipped
 * app's page is not for inspecting. Development builds keep it.
 */
export function appMenu(os: NodeJS.Platform, isPackaged: boolean, actions: AppMenuActions): MenuItemSpec[] {
  const openDataFolder: MenuItemSpec = { label: 'Open Data Folder', click: () => actions.openDataFolder() };
  const installCli: MenuItemSpec = { label: 'Install Command Line Tool…', click: () => actions.installCommandLineTool() };
  const viewMenu = viewMenuFor(isPackaged);
  if (os === 'darwin') {
    // macOS puts About (with the version from the about panel), Hide and Quit in the app menu.
    return [
      { role: 'appMenu' },
      { role: 'editMenu' },
      viewMenu,
      { role: 'windowMenu' },
      { role: 'help', label: 'Help', type: 'submenu', submenu: [openDataFolder, installCli] },
    ];
  }
  return [
    { label: 'File', type: 'submenu', submenu: [openDataFolder, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    viewMenu,
    { role: 'windowMenu' },
    {
      role: 'help',
      label: 'Help',
      type: 'submenu',
      submenu: [openDataFolder, installCli, { type: 'separator' }, { label: 'About Stacktray', click: () => actions.showAbout() }],
    },
  ];
}

/** Electron's own View menu (its `viewMenu` role), spelled out so Toggle Developer Tools can be left out. */
function viewMenuFor(isPackaged: boolean): MenuItemSpec {
  const devTools: MenuItemSpec[] = isPackaged ? [] : [{ role: 'toggleDevTools' }];
  return {
    label: 'View',
    type: 'submenu',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...devTools,
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}

export function aboutText(version: string, url: string, dataDir: string): { message: string; detail: string } {
  return {
    message: `Stacktray ${version}`,
    detail: `A local error tracker for Sentry and OpenTelemetry SDKs.\n\nServer: ${url}\nData folder: ${dataDir}`,
  };
}
