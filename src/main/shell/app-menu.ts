/** The application menu: the platform's usual roles plus Help → data folder, command line tool and About. Pure. */
import type { MenuItemSpec } from './platform';

export interface AppMenuActions {
  showAbout(): void;
  openDataFolder(): void;
  installCommandLineTool(): void;
}

export function appMenu(os: NodeJS.Platform, actions: AppMenuActions): MenuItemSpec[] {
  const openDataFolder: MenuItemSpec = { label: 'Open Data Folder', click: () => actions.openDataFolder() };
  const installCli: MenuItemSpec = { label: 'Install Command Line Tool…', click: () => actions.installCommandLineTool() };
  if (os === 'darwin') {
    // macOS puts About (with the version from the about panel), Hide and Quit in the app menu.
    return [
      { role: 'appMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
      { role: 'help', label: 'Help', type: 'submenu', submenu: [openDataFolder, installCli] },
    ];
  }
  return [
    { label: 'File', type: 'submenu', submenu: [openDataFolder, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      label: 'Help',
      type: 'submenu',
      submenu: [openDataFolder, installCli, { type: 'separator' }, { label: 'About Stacktray', click: () => actions.showAbout() }],
    },
  ];
}

export function aboutText(version: string, url: string, dataDir: string): { message: string; detail: string } {
  return {
    message: `Stacktray ${version}`,
    detail: `A local error tracker for Sentry and OpenTelemetry SDKs.\n\nServer: ${url}\nData folder: ${dataDir}`,
  };
}
