/**
 * Starts the core for the desktop app. A taken port is explained in a dialog that offers a free one
 * (kept in the settings, so DSNs stay valid next time); any other failure is shown before quitting.
 * Never fails silently: the result is a running core or null after the user has been told why.
 */
import { DataDirLockedError, PortInUseError, type Core, type CoreOptions } from '../core/core-types';
import type { ShellPlatform } from './platform';

export interface StartCoreDeps {
  platform: Pick<ShellPlatform, 'showMessageBox'>;
  startCore: (options: CoreOptions) => Promise<Core>;
  findFreePort: (from: number) => Promise<number>;
}

export async function startCoreInteractively(deps: StartCoreDeps, options: CoreOptions): Promise<Core | null> {
  let port = options.port;
  for (;;) {
    try {
      const core = await deps.startCore({ ...options, port });
      if (port !== options.port) core.updateSettings({ port: core.port });
      return core;
    } catch (error) {
      if (error instanceof PortInUseError) {
        const alternative = await deps.findFreePort(error.port + 1);
        const choice = await deps.platform.showMessageBox({
          type: 'warning',
          title: 'Port in use',
          message: `Port ${error.port} is already in use`,
          detail:
            `Another program is listening on port ${error.port}, so Stacktray cannot receive events there.\n\n` +
            `Use port ${alternative} instead? Stacktray will keep using it; SDKs need the new DSN ` +
            '(tray menu → Copy DSN).',
          buttons: [`Use Port ${alternative}`, 'Quit'],
          defaultId: 0,
          cancelId: 1,
        });
        if (choice !== 0) return null;
        port = alternative;
        continue;
      }
      await deps.platform.showMessageBox(failureDialog(error));
      return null;
    }
  }
}

function failureDialog(error: unknown): Parameters<ShellPlatform['showMessageBox']>[0] {
  if (error instanceof DataDirLockedError) {
    return {
      type: 'error',
      title: 'Stacktray is already running',
      message: 'Another Stacktray is using the data folder',
      detail: `${error.dataDir} belongs to process ${error.ownerPid} (perhaps the headless server). Stop it and start Stacktray again.`,
      buttons: ['Quit'],
      defaultId: 0,
      cancelId: 0,
    };
  }
  return {
    type: 'error',
    title: 'Stacktray could not start',
    message: 'Stacktray could not start',
    detail: error instanceof Error ? error.message : String(error),
    buttons: ['Quit'],
    defaultId: 0,
    cancelId: 0,
  };
}
