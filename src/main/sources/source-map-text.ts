/**
 * Pure helpers for finding and reading a source map: the `sourceMappingURL` comment of a script,
 * inline `data:` maps, and parsing a map into a lookup the symbolicate stage uses.
 */
import type { TraceMap } from '@jridgewell/trace-mapping';
import { lazyModule } from '../lazy-module';
import type { ProcessingError, SourceMapOrigin } from '../../shared/event';
import type { LoadedSourceMap } from '../pipeline/symbolicate';

/** Loaded by the first source map read, not at start-up. */
const traceMapping = lazyModule<typeof import('@jridgewell/trace-mapping')>('@jridgewell/trace-mapping');

/** The last `//# sourceMappingURL=` (or `//@`) of a script; only its tail is searched. */
export function sourceMappingUrl(script: string): string | undefined {
  const tail = script.length > 4096 ? script.slice(-4096) : script;
  const matches = [...tail.matchAll(/\/\/[#@][ \t]*sourceMappingURL=[ \t]*(\S+)[ \t]*(?:\*\/)?[ \t]*$/gm)];
  return matches.at(-1)?.[1];
}

/** The map inside a `data:` URL, or a one-line reason. */
export function inlineMap(url: string, maxBytes: number): { ok: true; text: string } | { ok: false; reason: string } {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0) return { ok: false, reason: 'not a data: URL' };
  const meta = url.slice(5, comma);
  const body = url.slice(comma + 1);
  if (body.length > (maxBytes * 4) / 3 + 4) return { ok: false, reason: `the inline source map is over the ${Math.round(maxBytes / 1048576)} MB limit` };
  try {
    const text = /;base64$/i.test(meta) ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: 'the inline source map is not decodable' };
  }
}

/** Parses a map; `mapUrl` (a path or URL) makes its sources absolute. */
export function parseSourceMap(
  text: string,
  origin: SourceMapOrigin,
  location: string,
  mapUrl: string | undefined,
): { ok: true; map: LoadedSourceMap } | { ok: false; problem: ProcessingError } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { type: 'js_invalid_source', message: `${location} is not a valid source map (${firstLine(error)})`, url: location } };
  }
  if (typeof json !== 'object' || json === null || (!('mappings' in json) && !('sections' in json))) {
    return { ok: false, problem: { type: 'js_invalid_source', message: `${location} is not a source map (no mappings)`, url: location } };
  }
  let map: TraceMap;
  try {
    map = new (traceMapping().TraceMap)(json as ConstructorParameters<typeof TraceMap>[0], mapUrl);
  } catch (error) {
    return { ok: false, problem: { type: 'js_invalid_source', message: `${location} is not a valid source map (${firstLine(error)})`, url: location } };
  }
  const sourceNames = new Map<string, string>();
  map.resolvedSources.forEach((resolved, index) => sourceNames.set(resolved, map.sources[index] ?? resolved));
  return { ok: true, map: { map, origin, location, sourceNames, lines: new Map() } };
}

/** The `debug_id` a map carries (sentry-cli writes `debug_id`; the TC39 proposal `debugId`). */
export function mapDebugId(text: string): string | undefined {
  const match = /"debug_?[iI]d"\s*:\s*"([0-9a-fA-F-]{32,36})"/.exec(text);
  return match?.[1]?.toLowerCase();
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}
