/**
 * The one reader of local source files (scripts, source maps, source context, the file an editor
 * opens): every path goes through the allowed-folders check (confine-path.ts) first, then a size
 * cap and a binary check. Texts are cached by real path and checked against the file's mtime and
 * size on every read, so an edited file is never served stale.
 */
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { allowedFoldersFromSetting, type AllowedFolders } from './allowed-folders';
import { confinePath } from './confine-path';

export type SourceText =
  | { ok: true; text: string; realPath: string; mtimeMs: number; size: number }
  | { ok: false; reason: string; missing?: true; tooLarge?: true };

export interface SourceReaderOptions {
  /** The `sourceFolders` setting, read on every call so a change applies at once. */
  sourceFolders: () => readonly string[] | null;
  home?: string;
  /** Largest file read as text; larger files are refused. */
  maxBytes?: number;
  /** Total characters kept in the cache. */
  cacheChars?: number;
}

export const DEFAULT_MAX_SOURCE_BYTES = 32 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;

interface CachedText {
  text: string;
  mtimeMs: number;
  size: number;
}

export class SourceReader {
  private readonly cache = new Map<string, CachedText>();
  private cachedChars = 0;
  private readonly maxBytes: number;
  private readonly cacheChars: number;
  private readonly home: string;

  constructor(private readonly options: SourceReaderOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
    this.cacheChars = options.cacheChars ?? 64 * 1024 * 1024;
    this.home = options.home ?? homedir();
  }

  folders(): AllowedFolders {
    return allowedFoldersFromSetting(this.options.sourceFolders(), this.home);
  }

  /** Where `path` really is, when it is an allowed file; a one-line reason otherwise. */
  async locate(path: string) {
    return confinePath(path, this.folders());
  }

  async read(path: string, maxBytes = this.maxBytes): Promise<SourceText> {
    const confined = await confinePath(path, this.folders());
    if (!confined.ok) return confined.missing ? { ok: false, reason: confined.reason, missing: true } : { ok: false, reason: confined.reason };
    const { realPath, size, mtimeMs } = confined;
    if (size > maxBytes) return { ok: false, reason: `${path} is ${megabytes(size)}, over the ${megabytes(maxBytes)} limit`, tooLarge: true };
    const cached = this.cache.get(realPath);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) {
      this.cache.delete(realPath);
      this.cache.set(realPath, cached);
      return { ok: true, text: cached.text, realPath, mtimeMs, size };
    }
    let bytes: Buffer;
    try {
      bytes = await readAtMost(realPath, maxBytes + 1);
    } catch (error) {
      return { ok: false, reason: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    if (bytes.length > maxBytes) return { ok: false, reason: `${path} is over the ${megabytes(maxBytes)} limit`, tooLarge: true };
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, reason: `${path} is a binary file` };
    const text = bytes.toString('utf8');
    this.remember(realPath, { text, mtimeMs, size });
    return { ok: true, text, realPath, mtimeMs, size };
  }

  private remember(realPath: string, entry: CachedText): void {
    const old = this.cache.get(realPath);
    if (old) this.cachedChars -= old.text.length;
    this.cache.delete(realPath);
    if (entry.text.length > this.cacheChars / 4) return;
    this.cache.set(realPath, entry);
    this.cachedChars += entry.text.length;
    for (const [key, value] of this.cache) {
      if (this.cachedChars <= this.cacheChars) break;
      this.cache.delete(key);
      this.cachedChars -= value.text.length;
    }
  }
}

/** Reads no more than `limit` bytes, even when the file grew after it was measured. */
async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, limit - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}
