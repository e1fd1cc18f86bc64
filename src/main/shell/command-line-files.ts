/** The file work of "Install Command Line Tool" over node:fs (the Electron platform's half; the fake records instead). */
import { access, chmod, constants, lstat, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileKind, ShellPlatform } from './platform';

type CommandLineFiles = Pick<ShellPlatform, 'isWritableFolder' | 'fileKind' | 'readTextFile' | 'writeExecutable' | 'linkFile'>;

export const commandLineFiles: CommandLineFiles = {
  async isWritableFolder(path) {
    try {
      if (!(await stat(path)).isDirectory()) return false;
      await access(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  async fileKind(path): Promise<FileKind> {
    try {
      const info = await lstat(path);
      return info.isSymbolicLink() ? 'link' : info.isFile() ? 'file' : 'other';
    } catch {
      return 'missing';
    }
  },
  async readTextFile(path) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      return null;
    }
  },
  async writeExecutable(path, text) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    await chmod(path, 0o755);
  },
  async linkFile(target, linkPath) {
    await mkdir(dirname(linkPath), { recursive: true });
    if ((await lstat(linkPath).catch(() => null))?.isSymbolicLink()) await rm(linkPath);
    await symlink(target, linkPath);
  },
};
