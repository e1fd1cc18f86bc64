/**
 * Reads a repository's HEAD straight from its `.git` (no git needed): the commit checked out and
 * its branch. Handles worktrees and submodules (`.git` as a `gitdir:` file, `commondir`) and
 * packed refs. Small files only; the caller confines the repository to the allowed folders.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

export interface GitDirs {
  /** The repository's git folder (a worktree's own one for worktrees). */
  gitDir: string;
  /** Where refs and objects live (the main repository's git folder for worktrees). */
  commonDir: string;
}

export interface GitHead {
  /** The full commit SHA. */
  sha: string;
  /** The branch checked out; null on a detached HEAD. */
  branch: string | null;
}

const SHA = /^[0-9a-f]{40}$/;
const MAX_REF_DEPTH = 5;

/** The git folders of the repository whose work tree is `root`, or null when it has none. */
export async function gitDirsOf(root: string): Promise<GitDirs | null> {
  const dotGit = join(root, '.git');
  const info = await stat(dotGit).catch(() => null);
  if (!info) return null;
  let gitDir = dotGit;
  if (info.isFile()) {
    const text = await readSmall(dotGit);
    const match = text === null ? null : /^gitdir:\s*(.+?)\s*$/m.exec(text);
    if (!match?.[1]) return null;
    gitDir = isAbsolute(match[1]) ? match[1] : resolve(root, match[1]);
  } else if (!info.isDirectory()) {
    return null;
  }
  const common = await readSmall(join(gitDir, 'commondir'));
  const commonDir = common === null ? gitDir : resolve(gitDir, common.trim());
  if (!(await stat(join(gitDir, 'HEAD')).catch(() => null))) return null;
  return { gitDir, commonDir };
}

/** HEAD resolved to a commit, or null (an unborn branch, an unreadable ref). */
export async function readHead(dirs: GitDirs): Promise<GitHead | null> {
  const head = (await readSmall(join(dirs.gitDir, 'HEAD')))?.trim();
  if (!head) return null;
  if (SHA.test(head)) return { sha: head, branch: null };
  const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
  if (!ref) return null;
  const sha = await resolveRef(dirs, ref, 0);
  if (!sha) return null;
  return { sha, branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null };
}

async function resolveRef(dirs: GitDirs, ref: string, depth: number): Promise<string | null> {
  if (depth > MAX_REF_DEPTH || ref.includes('..')) return null;
  // Per-worktree refs (HEAD, refs/bisect…) live in gitDir; branches and tags in the common folder.
  for (const dir of dirs.gitDir === dirs.commonDir ? [dirs.gitDir] : [dirs.gitDir, dirs.commonDir]) {
    const text = (await readSmall(join(dir, ref)))?.trim();
    if (!text) continue;
    if (SHA.test(text)) return text;
    const next = /^ref:\s*(refs\/\S+)$/.exec(text)?.[1];
    if (next) return resolveRef(dirs, next, depth + 1);
  }
  const packed = await readSmall(join(dirs.commonDir, 'packed-refs'), 64 * 1024 * 1024);
  for (const line of packed?.split('\n') ?? []) {
    const [sha, name] = line.trim().split(' ');
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return null;
}

async function readSmall(file: string, limit = 64 * 1024): Promise<string | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile() || info.size > limit) return null;
  return readFile(file, 'utf8').catch(() => null);
}
