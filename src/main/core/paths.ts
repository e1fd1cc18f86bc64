/** Where Stacktray keeps its data: the folder Electron uses as `userData` for an app named Stacktray. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Stacktray';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export const DATABASE_FILE = 'stacktray.db';
export const SETTINGS_FILE = 'settings.json';
export const LOCK_FILE = 'stacktray.lock';
/** An empty SQLite file whose OS lock (fcntl / LockFileEx) the owner holds; see data-dir-lock.ts. */
export const OS_LOCK_FILE = 'stacktray.lock.sqlite';
