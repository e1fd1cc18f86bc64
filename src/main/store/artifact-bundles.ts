/**
 * Artifact bundles uploaded with `sentry-cli sourcemaps upload`: ZIPs kept in the data folder
 * (`artifact-bundles/`), indexed by debug ID and by URL + release (Sentry's `~/` prefix matching
 * for uploads without debug IDs). The index is a small JSON file beside them, written atomically:
 * bundles are few and looked up in memory. Disk stays bounded: the oldest bundles go first when
 * their total passes the budget, and bundles older than the events' retention age go too.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactBundle } from '../../shared/api';
import type { UploadedMap, UploadedSourceMaps } from '../sources/source-map-locator';
import { listZip, readZipEntry } from './artifact-zip';

export type ArtifactBundleSummary = ArtifactBundle;

interface BundleRecord extends ArtifactBundleSummary {
  /** Source maps in the bundle: ZIP entry, `~/` URL, debug ID. */
  maps: { entry: string; url: string; debugId?: string }[];
  /** Minified files whose map is in the bundle: their `~/` URL → the map's entry. */
  minified: { url: string; mapEntry: string }[];
}

export type AssembleResult = { state: 'ok' | 'not_found' | 'error'; missingChunks: string[]; detail?: string };

export interface BundleLimits {
  maxBytes: number;
  maxAgeDays: number;
}

const SHA1 = /^[0-9a-f]{40}$/;
const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_MAP_BYTES = 64 * 1024 * 1024;
/** Chunks not assembled within this long are removed. */
const CHUNK_TTL_MS = 60 * 60 * 1000;

export class ArtifactBundleStore implements UploadedSourceMaps {
  readonly dir: string;
  private readonly chunksDir: string;
  private readonly indexFile: string;
  private bundles: BundleRecord[];
  private changes = 0;

  constructor(dataDir: string, private readonly limits: () => BundleLimits) {
    this.dir = join(dataDir, 'artifact-bundles');
    this.chunksDir = join(this.dir, 'chunks');
    this.indexFile = join(this.dir, 'index.json');
    mkdirSync(this.chunksDir, { recursive: true });
    this.bundles = this.readIndex();
    this.enforceRetention();
  }

  generation(): number {
    return this.changes;
  }

  list(projectId: number): ArtifactBundleSummary[] {
    return this.bundles
      .filter((bundle) => bundle.projectIds.includes(projectId))
      .map(({ maps: _maps, minified: _minified, ...summary }) => summary)
      .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
  }

  delete(projectId: number, id: string): boolean {
    const bundle = this.bundles.find((candidate) => candidate.id === id && candidate.projectIds.includes(projectId));
    if (!bundle) return false;
    bundle.projectIds = bundle.projectIds.filter((other) => other !== projectId);
    if (bundle.projectIds.length === 0) this.remove([bundle]);
    else this.saveIndex();
    return true;
  }

  /** A deleted project's bundles go (those shared with another project stay for it): its id may be given out again. */
  forgetProject(projectId: number): void {
    const held = this.bundles.filter((bundle) => bundle.projectIds.includes(projectId));
    if (held.length === 0) return;
    for (const bundle of held) bundle.projectIds = bundle.projectIds.filter((other) => other !== projectId);
    const orphaned = held.filter((bundle) => bundle.projectIds.length === 0);
    if (orphaned.length > 0) this.remove(orphaned);
    else {
      this.changes += 1;
      this.saveIndex();
    }
  }

  hasChunk(sha1: string): boolean {
    return SHA1.test(sha1) && existsSync(join(this.chunksDir, sha1));
  }

  /** Stores one uploaded chunk; the caller has checked that `data` hashes to `sha1`. */
  saveChunk(sha1: string, data: Buffer): void {
    if (!SHA1.test(sha1)) throw new Error(`${sha1} is not a sha1`);
    const temporary = join(this.chunksDir, `${sha1}.tmp-${process.pid}`);
    writeFileSync(temporary, data);
    renameSync(temporary, join(this.chunksDir, sha1));
  }

  async assemble(request: { checksum: string; chunks: string[]; projectIds: number[]; release?: string | undefined; dist?: string | undefined }): Promise<AssembleResult> {
    const { checksum, chunks } = request;
    const existing = this.bundles.find((bundle) => bundle.id === checksum);
    if (existing) {
      existing.projectIds = [...new Set([...existing.projectIds, ...request.projectIds])];
      this.saveIndex();
      return { state: 'ok', missingChunks: [] };
    }
    const missing = chunks.filter((sha1) => !this.hasChunk(sha1));
    if (missing.length > 0) return { state: 'not_found', missingChunks: missing };
    const file = join(this.dir, `${checksum}.zip`);
    const written = this.concatenate(chunks, file, checksum);
    if (!written.ok) {
      rmSync(file, { force: true });
      return { state: 'error', missingChunks: [], detail: written.reason };
    }
    const indexed = await indexBundle(file);
    if (!indexed.ok) {
      rmSync(file, { force: true });
      return { state: 'error', missingChunks: [], detail: `the bundle was refused: ${indexed.reason}` };
    }
    for (const sha1 of chunks) rmSync(join(this.chunksDir, sha1), { force: true });
    this.bundles.push({
      id: checksum,
      projectIds: request.projectIds,
      release: request.release ?? indexed.release ?? null,
      dist: request.dist ?? indexed.dist ?? null,
      uploadedAt: new Date().toISOString(),
      size: written.size,
      files: indexed.files,
      sourceMaps: indexed.maps.length,
      debugIds: [...new Set(indexed.maps.flatMap((map) => (map.debugId ? [map.debugId] : [])))],
      maps: indexed.maps,
      minified: indexed.minified,
    });
    this.changes += 1;
    this.enforceRetention();
    this.saveIndex();
    return { state: 'ok', missingChunks: [] };
  }

  async byDebugId(projectId: number, debugId: string): Promise<UploadedMap | null> {
    const id = debugId.toLowerCase();
    for (const bundle of this.newestFirst(projectId)) {
      const map = bundle.maps.find((candidate) => candidate.debugId === id);
      if (map) return this.load(bundle, map.entry, `debug-id:${id}`, 'debug-id');
    }
    return null;
  }

  async byUrl(projectId: number, url: string, release: string | undefined, dist: string | undefined): Promise<UploadedMap | null> {
    if (release === undefined) return null;
    const path = urlPath(url);
    if (path === undefined) return null;
    for (const bundle of this.newestFirst(projectId)) {
      if (bundle.release !== release || (bundle.dist ?? undefined) !== dist) continue;
      const match = bundle.minified.find((file) => tildeMatches(file.url, url, path));
      if (match) return this.load(bundle, match.mapEntry, `${release}:${match.url}`, 'release');
    }
    return null;
  }

  /** Drops chunks never assembled, then the oldest bundles past the budget or the age limit. */
  enforceRetention(now = Date.now()): void {
    for (const name of readdirSync(this.chunksDir)) {
      const path = join(this.chunksDir, name);
      try {
        if (now - statSync(path).mtimeMs > CHUNK_TTL_MS) rmSync(path, { force: true });
      } catch {
        // Gone meanwhile.
      }
    }
    const { maxBytes, maxAgeDays } = this.limits();
    const oldestFirst = [...this.bundles].sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt));
    const expired = oldestFirst.filter((bundle) => now - Date.parse(bundle.uploadedAt) > maxAgeDays * 86_400_000);
    let total = oldestFirst.reduce((sum, bundle) => sum + bundle.size, 0) - expired.reduce((sum, bundle) => sum + bundle.size, 0);
    const overBudget: BundleRecord[] = [];
    for (const bundle of oldestFirst) {
      if (total <= maxBytes || expired.includes(bundle)) continue;
      overBudget.push(bundle);
      total -= bundle.size;
    }
    if (expired.length + overBudget.length > 0) this.remove([...expired, ...overBudget]);
  }

  totalBytes(): number {
    return this.bundles.reduce((sum, bundle) => sum + bundle.size, 0);
  }

  private newestFirst(projectId: number): BundleRecord[] {
    return this.bundles.filter((bundle) => bundle.projectIds.includes(projectId)).reverse();
  }

  private async load(bundle: BundleRecord, entry: string, location: string, origin: UploadedMap['origin']): Promise<UploadedMap> {
    const file = join(this.dir, `${bundle.id}.zip`);
    return {
      key: `bundle:${bundle.id}:${entry}`,
      location,
      origin,
      text: async () => {
        const read = await readZipEntry(file, entry, MAX_MAP_BYTES);
        if (!read.ok) throw new Error(`bundle ${bundle.id.slice(0, 12)}: ${read.reason}`);
        return read.data.toString('utf8');
      },
    };
  }

  private concatenate(chunks: string[], file: string, checksum: string): { ok: true; size: number } | { ok: false; reason: string } {
    const hash = createHash('sha1');
    let size = 0;
    const out = openSync(file, 'w');
    try {
      for (const sha1 of chunks) {
        const data = readFileSync(join(this.chunksDir, sha1));
        size += data.length;
        if (size > MAX_BUNDLE_BYTES) return { ok: false, reason: `the bundle is over the ${MAX_BUNDLE_BYTES / 1048576} MB limit` };
        hash.update(data);
        writeSync(out, data);
      }
    } finally {
      closeSync(out);
    }
    const actual = hash.digest('hex');
    if (actual !== checksum) return { ok: false, reason: `the chunks hash to ${actual}, not to the checksum ${checksum}` };
    return { ok: true, size };
  }

  private remove(gone: BundleRecord[]): void {
    const ids = new Set(gone.map((bundle) => bundle.id));
    this.bundles = this.bundles.filter((bundle) => !ids.has(bundle.id));
    for (const id of ids) rmSync(join(this.dir, `${id}.zip`), { force: true });
    this.changes += 1;
    this.saveIndex();
  }

  private readIndex(): BundleRecord[] {
    try {
      const parsed = JSON.parse(readFileSync(this.indexFile, 'utf8')) as { bundles?: BundleRecord[] };
      return (parsed.bundles ?? []).filter((bundle) => SHA1.test(bundle.id) && existsSync(join(this.dir, `${bundle.id}.zip`)));
    } catch {
      return [];
    }
  }

  private saveIndex(): void {
    const temporary = `${this.indexFile}.tmp-${process.pid}`;
    writeFileSync(temporary, JSON.stringify({ bundles: this.bundles }));
    renameSync(temporary, this.indexFile);
  }
}

interface IndexedBundle {
  files: number;
  release?: string;
  dist?: string;
  maps: BundleRecord['maps'];
  minified: BundleRecord['minified'];
}

/** Reads manifest.json and indexes the bundle's maps (pure apart from reading the ZIP). */
async function indexBundle(file: string): Promise<{ ok: true } & IndexedBundle | { ok: false; reason: string }> {
  const listing = await listZip(file);
  if (!listing.ok) return listing;
  if (!listing.entries.has('manifest.json')) return { ok: false, reason: 'it has no manifest.json' };
  const manifestBytes = await readZipEntry(file, 'manifest.json', MAX_MANIFEST_BYTES);
  if (!manifestBytes.ok) return manifestBytes;
  let manifest: { files?: Record<string, { url?: unknown; type?: unknown; headers?: Record<string, unknown> }>; release?: unknown; dist?: unknown };
  try {
    manifest = JSON.parse(manifestBytes.data.toString('utf8')) as typeof manifest;
  } catch {
    return { ok: false, reason: 'manifest.json is not JSON' };
  }
  const files = manifest.files && typeof manifest.files === 'object' ? Object.entries(manifest.files) : [];
  const maps: BundleRecord['maps'] = [];
  const minified: BundleRecord['minified'] = [];
  const headerOf = (headers: Record<string, unknown> | undefined, name: string): string | undefined => {
    const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
    return typeof found?.[1] === 'string' ? found[1] : undefined;
  };
  for (const [entry, info] of files) {
    if (!listing.entries.has(entry) || typeof info.url !== 'string') continue;
    const debugId = headerOf(info.headers, 'debug-id')?.toLowerCase();
    if (info.type === 'source_map') maps.push(debugId ? { entry, url: info.url, debugId } : { entry, url: info.url });
  }
  for (const [, info] of files) {
    if (info.type !== 'minified_source' || typeof info.url !== 'string') continue;
    const reference = headerOf(info.headers, 'sourcemap');
    const debugId = headerOf(info.headers, 'debug-id')?.toLowerCase();
    const map = (reference ? maps.find((candidate) => candidate.url === resolveTilde(info.url as string, reference)) : undefined) ?? (debugId ? maps.find((candidate) => candidate.debugId === debugId) : undefined);
    if (map) minified.push({ url: info.url, mapEntry: map.entry });
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const result: { ok: true } & IndexedBundle = { ok: true, files: files.length, maps, minified };
  const release = text(manifest.release);
  if (release) result.release = release;
  const dist = text(manifest.dist);
  if (dist) result.dist = dist;
  return result;
}

/** `~/js/app.min.js` + `app.min.js.map` → `~/js/app.min.js.map`. */
function resolveTilde(url: string, reference: string): string {
  if (/^[a-z]+:\/\//i.test(reference) || reference.startsWith('~/')) return reference;
  const base = url.slice(0, url.lastIndexOf('/') + 1);
  return `${base}${reference}`;
}

/** The path of a frame's URL or file, without query or fragment. */
function urlPath(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      return new URL(url).pathname;
    } catch {
      return undefined;
    }
  }
  return url.startsWith('/') ? url.replace(/[?#].*$/, '') : undefined;
}

/** Sentry's rule: `~/path` matches that path on any host; a full URL matches itself. */
function tildeMatches(bundleUrl: string, frameUrl: string, framePath: string): boolean {
  if (bundleUrl.startsWith('~/')) return framePath === bundleUrl.slice(1) || framePath.endsWith(bundleUrl.slice(1));
  return bundleUrl === frameUrl.replace(/[?#].*$/, '');
}
