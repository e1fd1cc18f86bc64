/**
 * Finds the source map of each file an event's frames ran in, in this order: an uploaded artifact
 * bundle (by debug ID, then by URL and release), the file on disk (its `sourceMappingURL` or
 * `<file>.map`, inside the allowed folders), the loopback dev server. The I/O edge of the
 * symbolicate stage: it hands the pure stage a lookup of parsed maps and problems.
 *
 * Results are cached per file for a short while, so the ingest path can tell synchronously (one
 * Map lookup per file) that an event needs no I/O: files known to have no map cost nothing.
 * A result used in the last part of its life is looked up again in the background, so under
 * steady traffic no event waits for the re-check (each waited for a realpath on libuv's pool:
 * 4 ms on average, up to 51 ms, for ~2% of events at 400/s; that was the p99). A result is never
 * older than RESULT_TTL_MS either way, and concurrent lookups of one file share one.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import type { ProcessingError, SourceMapOrigin } from '../../shared/event';
import { localFilePath, type LoadedSourceMap, type MapRequest } from '../pipeline/symbolicate';
import { isLoopbackUrl, type LoopbackFetcher } from './loopback-fetch';
import { inlineMap, parseSourceMap, sourceMappingUrl } from './source-map-text';
import type { SourceReader } from './source-reader';

export type MapResult = { map: LoadedSourceMap } | { problem: ProcessingError } | null;

/** Maps uploaded with sentry-cli (artifact bundles); see store/artifact-bundles.ts. */
export interface UploadedSourceMaps {
  byDebugId(projectId: number, debugId: string): Promise<UploadedMap | null>;
  byUrl(projectId: number, url: string, release: string | undefined, dist: string | undefined): Promise<UploadedMap | null>;
  /** Changes whenever bundles are added or removed: cached results from before are dropped. */
  generation(): number;
}

export interface UploadedMap {
  /** Reads the map (from its bundle); called only when the parsed map is not cached. */
  text: () => Promise<string>;
  /** Shown with the frame, e.g. `debug-id:<id>` or `~/app.min.js.map`. */
  location: string;
  /** Identifies this exact map (bundle and file) for the parsed-map cache. */
  key: string;
  origin: SourceMapOrigin;
}

export interface LookupContext {
  projectId: number;
  release?: string | undefined;
  dist?: string | undefined;
}

interface CachedResult {
  result: MapResult;
  until: number;
  generation: number;
}

const RESULT_TTL_MS = 2000;
/** A result used this close to its end starts its re-check (in the background). */
const REFRESH_AHEAD_MS = 1000;
const MAX_RESULTS = 4096;
const MAX_PARSED_MAPS = 48;
/** Parsed maps kept, by the size of their text: a decoded map takes several times its text. */
const MAX_PARSED_CHARS = 64 * 1024 * 1024;
const MAX_INLINE_MAP_BYTES = 32 * 1024 * 1024;

export class SourceMapLocator {
  private readonly results = new Map<string, CachedResult>();
  /** Lookups under way, by generation and result key. */
  private readonly looking = new Map<string, Promise<MapResult>>();
  private readonly parsed = new Map<string, { text: string; result: ReturnType<typeof parseSourceMap> }>();
  private parsedChars = 0;

  constructor(
    private readonly reader: SourceReader,
    private readonly fetcher: LoopbackFetcher,
    private readonly uploaded: UploadedSourceMaps | null,
    /** Milliseconds since the epoch (a test's clock). */
    private readonly now: () => number = Date.now,
  ) {}

  /** Every request's result when all are cached and fresh; undefined when some need I/O. */
  cached(requests: readonly MapRequest[], context: LookupContext): Map<string, MapResult> | undefined {
    const now = this.now();
    const generation = this.uploaded?.generation() ?? 0;
    const found = new Map<string, MapResult>();
    for (const request of requests) {
      const key = resultKey(request, context);
      const entry = this.results.get(key);
      if (!entry || entry.until < now || entry.generation !== generation) return undefined;
      if (entry.until - now < REFRESH_AHEAD_MS) void this.lookUp(key, request, context, generation);
      found.set(request.file, entry.result);
    }
    return found;
  }

  async load(requests: readonly MapRequest[], context: LookupContext): Promise<Map<string, MapResult>> {
    const generation = this.uploaded?.generation() ?? 0;
    const entries = await Promise.all(
      requests.map(async (request): Promise<[string, MapResult]> => {
        const key = resultKey(request, context);
        const cached = this.results.get(key);
        if (cached && cached.until >= this.now() && cached.generation === generation) return [request.file, cached.result];
        return [request.file, await this.lookUp(key, request, context, generation)];
      }),
    );
    return new Map(entries);
  }

  /** Finds and caches one file's result; a lookup of the same file already under way is shared. */
  private lookUp(key: string, request: MapRequest, context: LookupContext, generation: number): Promise<MapResult> {
    const lookupKey = `${generation}\u0000${key}`;
    let pending = this.looking.get(lookupKey);
    if (pending) return pending;
    pending = this.find(request, context)
      .catch((error: unknown): MapResult => problem('js_invalid_source', `${request.file}: ${(error as Error).message}`.slice(0, 300), request.file))
      .then((result) => {
        this.remember(key, { result, until: this.now() + RESULT_TTL_MS, generation });
        return result;
      })
      .finally(() => this.looking.delete(lookupKey));
    this.looking.set(lookupKey, pending);
    return pending;
  }

  private remember(key: string, entry: CachedResult): void {
    this.results.delete(key);
    this.results.set(key, entry);
    while (this.results.size > MAX_RESULTS) this.results.delete(this.results.keys().next().value as string);
  }

  private async find(request: MapRequest, context: LookupContext): Promise<MapResult> {
    const { file } = request;
    if (this.uploaded) {
      const byId = request.debugId === undefined ? null : await this.uploaded.byDebugId(context.projectId, request.debugId);
      const uploaded = byId ?? (await this.uploaded.byUrl(context.projectId, file, context.release, context.dist));
      if (uploaded) {
        // A bundle never changes: its parsed maps are cached by bundle and entry alone.
        const known = this.parsed.get(uploaded.key);
        if (known) return known.result.ok ? { map: known.result.map } : { problem: known.result.problem };
        return this.parse(uploaded.key, await uploaded.text(), uploaded.origin, uploaded.location, undefined);
      }
    }
    if (/^https?:\/\//i.test(file)) return isLoopbackUrl(file) ? this.fromDevServer(file) : null;
    const local = localFilePath(file);
    return local === null ? null : this.fromDisk(local);
  }

  private async fromDisk(path: string): Promise<MapResult> {
    const script = await this.reader.read(path);
    // A file that is missing or outside the allowed folders simply has no map here: the event
    // may come from another machine or a container, and saying so on every event is noise.
    if (!script.ok) return script.tooLarge ? problem('js_no_source', script.reason, path) : null;
    const reference = sourceMappingUrl(script.text);
    if (reference === undefined) {
      const beside = await this.reader.read(`${script.realPath}.map`);
      if (!beside.ok) return beside.missing ? null : problem(beside.tooLarge ? 'js_map_too_large' : 'js_map_refused', beside.reason, `${path}.map`);
      return this.parse(`file:${beside.realPath}:${beside.mtimeMs}:${beside.size}`, beside.text, 'file', beside.realPath, beside.realPath);
    }
    if (reference.startsWith('data:')) {
      const inline = inlineMap(reference, MAX_INLINE_MAP_BYTES);
      if (!inline.ok) return problem('js_invalid_source', `${path}: ${inline.reason}`, path);
      return this.parse(`inline:${script.realPath}:${script.mtimeMs}:${script.size}`, inline.text, 'file', `${path} (inline)`, script.realPath);
    }
    if (/^https?:\/\//i.test(reference)) {
      if (!isLoopbackUrl(reference)) return problem('restricted_host', `${path} links its source map to ${clip(reference)}, another host: not fetched`, path);
      return this.fetchMap(reference);
    }
    let mapPath: string;
    if (reference.startsWith('file://')) mapPath = localFilePath(reference) ?? '';
    else mapPath = resolvePath(dirname(script.realPath), safeDecode(reference));
    const map = await this.reader.read(mapPath);
    if (!map.ok) return problem(map.missing ? 'js_no_source' : map.tooLarge ? 'js_map_too_large' : 'js_map_refused', `source map of ${path}: ${map.reason}`, mapPath);
    return this.parse(`file:${map.realPath}:${map.mtimeMs}:${map.size}`, map.text, 'file', map.realPath, map.realPath);
  }

  private async fromDevServer(url: string): Promise<MapResult> {
    const script = await this.fetcher.fetchText(url);
    if (!script.ok) return problem(script.type, script.reason, url);
    const reference = script.headers['sourcemap'] ?? script.headers['x-sourcemap'] ?? sourceMappingUrl(script.text);
    if (reference === undefined) return null;
    if (reference.startsWith('data:')) {
      const inline = inlineMap(reference, MAX_INLINE_MAP_BYTES);
      if (!inline.ok) return problem('js_invalid_source', `${url}: ${inline.reason}`, url);
      return this.parse(`inline-url:${url}`, inline.text, 'dev-server', `${withoutQuery(url)} (inline)`, url);
    }
    let mapUrl: string;
    try {
      mapUrl = new URL(reference, url).href;
    } catch {
      return problem('js_invalid_source', `${url} links its source map to ${clip(reference)}, not a URL`, url);
    }
    if (!isLoopbackUrl(mapUrl)) return problem('restricted_host', `${url} links its source map to ${clip(mapUrl)}, another host: not fetched`, url);
    return this.fetchMap(mapUrl);
  }

  private async fetchMap(mapUrl: string): Promise<MapResult> {
    const map = await this.fetcher.fetchText(mapUrl);
    if (!map.ok) return problem(map.type, map.reason, mapUrl);
    return this.parse(`url:${mapUrl}`, map.text, 'dev-server', withoutQuery(mapUrl), mapUrl);
  }

  private parse(key: string, text: string, origin: SourceMapOrigin, location: string, mapUrl: string | undefined): MapResult {
    let entry = this.parsed.get(key);
    if (!entry || entry.text !== text) entry = { text, result: parseSourceMap(text, origin, location, mapUrl) };
    const old = this.parsed.get(key);
    if (old) this.parsedChars -= old.text.length;
    this.parsed.delete(key);
    this.parsed.set(key, entry);
    this.parsedChars += entry.text.length;
    while (this.parsed.size > 1 && (this.parsed.size > MAX_PARSED_MAPS || this.parsedChars > MAX_PARSED_CHARS)) {
      const [oldestKey, oldest] = this.parsed.entries().next().value as [string, { text: string }];
      this.parsed.delete(oldestKey);
      this.parsedChars -= oldest.text.length;
    }
    return entry.result.ok ? { map: entry.result.map } : { problem: entry.result.problem };
  }
}

function resultKey(request: MapRequest, context: LookupContext): string {
  return [context.projectId, request.debugId ?? '', context.release ?? '', context.dist ?? '', request.file].join('\u0000');
}

function problem(type: string, message: string, url: string): MapResult {
  return { problem: { type, message: message.slice(0, 400), url } };
}

function safeDecode(reference: string): string {
  try {
    return decodeURIComponent(reference.replace(/[?#].*$/, ''));
  } catch {
    return reference;
  }
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
