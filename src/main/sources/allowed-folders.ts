/**
 * Which local files Stacktray may read (source maps, source context, git metadata) or hand to an
 * editor: only those inside the folders the user allowed. Event data names the paths, so every
 * path is hostile until it is absolute, resolved (`..`, symlinks) and inside one of these folders.
 * Pure: the caller resolves the real path (see confine-path.ts).
 */
import { posix, win32 } from 'node:path';

export interface AllowedFolders {
  /** Absolute folders; a file inside one of them (at any depth) is allowed. */
  readonly roots: readonly string[];
  /** Top-level dot-folders of this folder (~/.ssh, ~/.config …) stay out; null when the user chose the roots. */
  readonly withoutDotFoldersOf: string | null;
}

type PathApi = typeof posix;

/** The `sourceFolders` setting: null means the user's home folder without its dot-folders. */
export function allowedFoldersFromSetting(setting: readonly string[] | null, home: string, pathApi: PathApi = defaultPathApi()): AllowedFolders {
  if (setting === null) return { roots: [pathApi.resolve(home)], withoutDotFoldersOf: pathApi.resolve(home) };
  return { roots: setting.filter((folder) => pathApi.isAbsolute(folder)).map((folder) => pathApi.resolve(folder)), withoutDotFoldersOf: null };
}

/** `realPath` must already be absolute and resolved (no `..`, no symlinks). */
export function isInsideAllowedFolders(realPath: string, folders: AllowedFolders, pathApi: PathApi = defaultPathApi()): boolean {
  if (!pathApi.isAbsolute(realPath)) return false;
  const inside = folders.roots.some((root) => isWithin(root, realPath, pathApi));
  if (!inside) return false;
  if (folders.withoutDotFoldersOf !== null && isWithin(folders.withoutDotFoldersOf, realPath, pathApi)) {
    const first = pathApi.relative(folders.withoutDotFoldersOf, realPath).split(pathApi.sep)[0] ?? '';
    if (first.startsWith('.')) return false;
  }
  return true;
}

function isWithin(root: string, path: string, pathApi: PathApi): boolean {
  const relative = pathApi.relative(root, path);
  if (relative === '') return true;
  return !relative.startsWith('..') && !pathApi.isAbsolute(relative);
}

function defaultPathApi(): PathApi {
  return process.platform === 'win32' ? win32 : posix;
}
