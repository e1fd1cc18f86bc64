/**
 * The git reader at the edge of the release-from-git step: which repository holds a file named
 * by an event, and what it has checked out (commit, branch, dirty). Answers from a cache: a
 * folder is looked up once, a repository read once and again only when its HEAD, refs or index
 * move (watched), so an event costs a map lookup. Only files inside the allowed folders
 * (the `sourceFolders` setting) are looked at; event paths are hostile.
 *
 * `git` itself, when on PATH, tells whether the work tree is dirty and whether one commit
 * descends from another; without it those answers are unknown (no `git.dirty` tag, and releases
 * order by first-seen time).
 */
import { execFile, spawnSync } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { allowedFoldersFromSetting, isInsideAllowedFolders, type AllowedFolders } from './allowed-folders';
import { confinePath } from './confine-path';
import { gitDirsOf, readHead, type GitDirs } from './git-head';

export interface GitCheckout {
  /** The work tree's folder. */
  root: string;
  sha: string;
  branch: string | null;
  /** null when git is not available to tell. */
  dirty: boolean | null;
}

interface Repository {
  root: string;
  dirs: GitDirs;
  checkout: GitCheckout | null;
  /** HEAD, refs or index moved since the checkout was read. */
  stale: boolean;
  refreshing: Promise<void> | null;
  dirtyCheckedAt: number;
  watchers: FSWatcher[];
}

export interface GitReaderOptions {
  /** The `sourceFolders` setting, read on each lookup (null: the home folder without dot-folders). */
  sourceFolders: () => readonly string[] | null;
  home?: string;
  /** The git program; null when it is not to be run. */
  git?: string | null;
  /** The work tree's dirty flag is looked at again at most this often (ms) while events come. */
  dirtyRecheckMs?: number;
}

/** Hostile events could name endless folders: past this many the folder cache starts over. */
const MAX_CACHED_FOLDERS = 10_000;
const SHA = /^[0-9a-f]{40}$/;
const GIT_TIMEOUT_MS = 10_000;

export class GitReader {
  private folders: Map<string, Repository | null> = new Map();
  private readonly repositories = new Map<string, Repository>();
  /** Commits seen checked out, and where: the commit graph is asked in that repository. */
  private readonly commits = new Map<string, Repository>();
  private readonly ancestry = new Map<string, boolean | null>();
  private setting: readonly string[] | null | undefined;
  private allowed: AllowedFolders | null = null;
  private gitMissing = false;
  private closed = false;

  constructor(private readonly options: GitReaderOptions) {}

  /**
   * The checkout holding `file`, from the cache: null when none (or not allowed), undefined when
   * it must be looked up first (`lookup`).
   */
  cached(file: string): GitCheckout | null | undefined {
    this.checkSetting();
    const repository = this.folders.get(dirname(file));
    if (repository === undefined) return undefined;
    if (repository === null) return null;
    if (repository.stale) return undefined;
    if (repository.checkout && Date.now() - repository.dirtyCheckedAt > (this.options.dirtyRecheckMs ?? 10_000)) {
      repository.dirtyCheckedAt = Date.now();
      void this.refreshDirty(repository);
    }
    return repository.checkout;
  }

  /** Fills the cache for `file`; never rejects. */
  async lookup(file: string): Promise<void> {
    this.checkSetting();
    const folder = dirname(file);
    let repository = this.folders.get(folder);
    if (repository === undefined) {
      repository = await this.findRepository(file);
      if (this.folders.size >= MAX_CACHED_FOLDERS) this.folders = new Map();
      this.folders.set(folder, repository);
    }
    if (repository?.stale) await this.refresh(repository);
  }

  /**
   * Whether commit `candidate` descends from commit `resolved` (in the repository `candidate`
   * was seen checked out in); null when either is not a known commit or git cannot tell. Cached:
   * the commit graph does not change.
   */
  isNewerCommit(candidate: string, resolved: string): boolean | null {
    if (!SHA.test(candidate) || !SHA.test(resolved)) return null;
    const repository = this.commits.get(candidate);
    if (!repository) return null;
    const key = `${resolved}..${candidate}`;
    const known = this.ancestry.get(key);
    if (known !== undefined) return known;
    const git = this.gitProgram();
    if (!git) return null;
    // Synchronous, but asked only when an event meets an issue resolved in a next release, once per pair.
    const result = spawnSync(git, gitArgs(['merge-base', '--is-ancestor', resolved, candidate]), {
      cwd: repository.root,
      timeout: GIT_TIMEOUT_MS,
      stdio: 'ignore',
    });
    const answer = result.status === 0 ? true : result.status === 1 ? false : null;
    if (answer === null && (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') this.gitMissing = true;
    this.ancestry.set(key, answer);
    return answer;
  }

  close(): void {
    this.closed = true;
    for (const repository of this.repositories.values()) for (const watcher of repository.watchers) watcher.close();
    this.repositories.clear();
    this.folders.clear();
  }

  private checkSetting(): void {
    const setting = this.options.sourceFolders();
    if (setting === this.setting && this.allowed) return;
    this.setting = setting;
    this.allowed = allowedFoldersFromSetting(setting, this.options.home ?? homedir());
    // What was allowed may no longer be (or the other way round).
    this.folders = new Map();
  }

  private async findRepository(file: string): Promise<Repository | null> {
    const allowed = this.allowed;
    if (!allowed) return null;
    const confined = await confinePath(file, allowed);
    if (!confined.ok) return null;
    for (let folder = dirname(confined.realPath); isInsideAllowedFolders(folder, allowed); folder = dirname(folder)) {
      const known = this.repositories.get(folder);
      if (known) return known;
      const dirs = await gitDirsOf(folder);
      if (dirs) return this.open(folder, dirs);
      if (dirname(folder) === folder) break;
    }
    return null;
  }

  private async open(root: string, dirs: GitDirs): Promise<Repository> {
    const existing = this.repositories.get(root);
    if (existing) return existing;
    const repository: Repository = { root, dirs, checkout: null, stale: true, refreshing: null, dirtyCheckedAt: 0, watchers: [] };
    this.repositories.set(root, repository);
    this.watch(repository);
    await this.refresh(repository);
    return repository;
  }

  /** HEAD (checkout, commit) and the index live in gitDir; branches and packed refs in the common folder. */
  private watch(repository: Repository): void {
    if (this.closed) return;
    const markStale = (): void => {
      repository.stale = true;
    };
    const { gitDir, commonDir } = repository.dirs;
    const targets: [string, boolean][] = [[gitDir, false], [join(commonDir, 'refs', 'heads'), true]];
    if (commonDir !== gitDir) targets.push([commonDir, false]);
    for (const [path, recursive] of targets) {
      try {
        const watcher = watch(path, { persistent: false, recursive }, markStale);
        watcher.on('error', markStale);
        repository.watchers.push(watcher);
      } catch {
        // Not watchable (a missing refs/heads in a fresh repository): the others still are.
      }
    }
  }

  private refresh(repository: Repository): Promise<void> {
    repository.refreshing ??= (async () => {
      // Cleared first: a move during the read marks it stale again.
      repository.stale = false;
      const [head, dirty] = await Promise.all([readHead(repository.dirs), this.dirtyOf(repository.root)]);
      repository.dirtyCheckedAt = Date.now();
      repository.checkout = head ? { root: repository.root, sha: head.sha, branch: head.branch, dirty } : null;
      if (head) this.commits.set(head.sha, repository);
    })().finally(() => {
      repository.refreshing = null;
    });
    return repository.refreshing;
  }

  private async refreshDirty(repository: Repository): Promise<void> {
    const dirty = await this.dirtyOf(repository.root);
    if (repository.checkout && dirty !== null) repository.checkout = { ...repository.checkout, dirty };
  }

  /** Tracked files changed (untracked ones do not count, as for `git describe --dirty`). */
  private dirtyOf(root: string): Promise<boolean | null> {
    const git = this.gitProgram();
    if (!git || this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      execFile(git, gitArgs(['status', '--porcelain', '--untracked-files=no', '--ignore-submodules']), { cwd: root, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.gitMissing = true;
          resolve(null);
        } else resolve(stdout.trim() !== '');
      });
    });
  }

  private gitProgram(): string | null {
    if (this.gitMissing || this.options.git === null) return null;
    return this.options.git ?? 'git';
  }
}

/**
 * Read-only and inert: no optional index writes (which would wake the watcher), and no
 * fsmonitor hook, which a repository's config could point at any program.
 */
function gitArgs(args: string[]): string[] {
  return ['--no-optional-locks', '-c', 'core.fsmonitor=false', ...args];
}
