/**
 * The I/O half of the allowed-folders rule: turns a path from event data into the real path of a
 * file that may be read, or a one-line reason why not. `..` and symlinks are resolved first, so a
 * link inside an allowed folder that points out of it is refused.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { isInsideAllowedFolders, type AllowedFolders } from './allowed-folders';

export type ConfinedPath = { ok: true; realPath: string; size: number; mtimeMs: number } | { ok: false; reason: string; missing?: true };

export async function confinePath(path: string, folders: AllowedFolders): Promise<ConfinedPath> {
  if (path.length === 0 || path.length > 4096 || path.includes('\0')) return { ok: false, reason: 'not a usable file path' };
  if (!isAbsolute(path)) return { ok: false, reason: `${path} is not an absolute path` };
  // A UNC path would make even the stat() below contact another machine.
  if (path.startsWith('\\\\') || path.startsWith('//')) return { ok: false, reason: `${path} is a network path` };
  let realPath: string;
  try {
    realPath = await realpath(path);
  } catch {
    return { ok: false, reason: `${path} does not exist`, missing: true };
  }
  if (!isInsideAllowedFolders(realPath, folders)) return { ok: false, reason: `${path} is outside the allowed source folders` };
  const info = await stat(realPath).catch(() => null);
  if (!info) return { ok: false, reason: `${path} does not exist`, missing: true };
  if (!info.isFile()) return { ok: false, reason: `${path} is not a file` };
  return { ok: true, realPath, size: info.size, mtimeMs: info.mtimeMs };
}
