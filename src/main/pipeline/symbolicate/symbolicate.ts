/**
 * The symbolicate stage: resolves minified JavaScript frames to their original file, line,
 * column, function and source lines with source maps found beforehand (see sources/). Pure:
 * frames and a map lookup in, resolved frames and one-line problems out. Runs before grouping,
 * so two builds of the same code land in one issue; the frames as sent stay in `raw_stacktrace`.
 */
import type { TraceMap } from '@jridgewell/trace-mapping';
import { lazyModule } from '../../lazy-module';
import type { ExceptionValue, ProcessingError, SentryEvent, SourceMapOrigin, StackFrame } from '../../../shared/event';
import { frameFile } from './candidates';
import { contextAround } from './context-lines';

/** Loaded with the first source map (src/main/sources/source-map-text.ts). */
const traceMapping = lazyModule<typeof import('@jridgewell/trace-mapping')>('@jridgewell/trace-mapping');

/** A parsed source map and where it came from. */
export interface LoadedSourceMap {
  map: TraceMap;
  origin: SourceMapOrigin;
  /** Where the map was read (path, URL, or `debug-id:<id>`): shown with the frame. */
  location: string;
  /** The map's `sources` as written, by resolved source (for a readable filename). */
  sourceNames: ReadonlyMap<string, string>;
  /** Lines of each source's `sourcesContent`, split once and reused by every event. */
  lines: Map<string, string[] | null>;
}

/** For a file from a frame: its map, a problem, or null when the file simply has no map. */
export type MapLookup = (file: string) => { map: LoadedSourceMap } | { problem: ProcessingError } | null;

export interface SymbolicateResult {
  /** The exceptions with resolved frames and `raw_stacktrace`; undefined when no frame changed. */
  exceptions: ExceptionValue[] | undefined;
  problems: ProcessingError[];
}

export function symbolicateEvent(event: SentryEvent, lookup: MapLookup): SymbolicateResult {
  const problems: ProcessingError[] = [];
  const seenProblems = new Set<string>();
  const addProblem = (problem: ProcessingError): void => {
    const key = `${problem.type}\u0000${problem.message}`;
    if (seenProblems.has(key)) return;
    seenProblems.add(key);
    problems.push(problem);
  };
  let changed = false;
  const exceptions = (event.exception?.values ?? []).map((exception) => {
    const frames = exception.stacktrace?.frames;
    if (!exception.stacktrace || !frames) return exception;
    const resolved = resolveFrames(frames, lookup, addProblem);
    if (resolved === undefined) return exception;
    changed = true;
    return { ...exception, stacktrace: { ...exception.stacktrace, frames: resolved }, raw_stacktrace: exception.stacktrace };
  });
  return { exceptions: changed ? exceptions : undefined, problems };
}

interface Position {
  source: string;
  line: number;
  column: number;
  name: string | null;
  loaded: LoadedSourceMap;
}

function resolveFrames(frames: StackFrame[], lookup: MapLookup, addProblem: (problem: ProcessingError) => void): StackFrame[] | undefined {
  const positions = frames.map((frame): Position | null => {
    const file = frameFile(frame);
    if (file === undefined || frame.lineno === undefined) return null;
    const found = lookup(file);
    if (found === null) return null;
    if ('problem' in found) {
      addProblem(found.problem);
      return null;
    }
    const loaded = found.map;
    const column = Math.max(0, (frame.colno ?? 1) - 1);
    const position = safeOriginalPosition(loaded.map, frame.lineno, column);
    if (position === null || position.source === null || position.line === null) {
      addProblem({
        type: 'js_invalid_source_position',
        message: `${file}:${frame.lineno}:${column + 1} has no mapping in ${loaded.location}`,
        url: file,
      });
      return null;
    }
    return { source: position.source, line: position.line, column: position.column ?? 0, name: position.name, loaded };
  });
  if (positions.every((position) => position === null)) return undefined;
  return frames.map((frame, index) => {
    const position = positions[index];
    if (!position) return frame;
    // Frames are oldest first: the caller's call site names the function this frame runs in.
    const callerName = index > 0 ? (positions[index - 1]?.name ?? null) : null;
    return resolvedFrame(frame, position, callerName);
  });
}

function safeOriginalPosition(map: TraceMap, line: number, column: number) {
  try {
    return traceMapping().originalPositionFor(map, { line, column });
  } catch {
    return null;
  }
}

function resolvedFrame(frame: StackFrame, position: Position, callerName: string | null): StackFrame {
  const { loaded, source } = position;
  const { module: _minifiedModule, pre_context: _pre, context_line: _line, post_context: _post, ...rest } = frame;
  const resolved: StackFrame = {
    ...rest,
    abs_path: source,
    filename: readableSourceName(loaded.sourceNames.get(source) ?? source),
    lineno: position.line,
    colno: position.column + 1,
    data: { sourcemap: loaded.location, resolved_with: loaded.origin },
  };
  if (/[\\/]node_modules[\\/]/.test(source)) resolved.in_app = false;
  const lines = sourceLines(loaded, source);
  const name = callerName ?? (lines ? enclosingFunctionName(lines, position.line) : null);
  if (name !== null) resolved.function = name;
  const context = lines ? contextAround(lines, position.line) : undefined;
  return context ? { ...resolved, ...context } : resolved;
}

function sourceLines(loaded: LoadedSourceMap, source: string): string[] | null {
  let lines = loaded.lines.get(source);
  if (lines === undefined) {
    const content = traceMapping().sourceContentFor(loaded.map, source);
    lines = content === null ? null : content.split(/\r?\n/);
    loaded.lines.set(source, lines);
  }
  return lines;
}

/**
 * A map's source as a short name: bundler prefixes (`webpack://app/`, Vite's `/@fs`) and leading
 * `./`/`../` steps say where the bundler ran, not what the file is, and would split issues by build.
 */
export function readableSourceName(source: string): string {
  let name = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^\/@fs(?=\/)/, '');
  if (/^[a-z]+:\/\//i.test(name)) {
    try {
      name = new URL(name).pathname.replace(/^\/@fs(?=\/)/, '');
    } catch {
      // keep as is
    }
  }
  while (/^\.{1,2}\//.test(name)) name = name.replace(/^\.{1,2}\//, '');
  return name === '' ? source : name;
}

const DECLARATIONS = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/,
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/,
  /^\s*(?:(?:static|async|get|set|public|private|protected)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*\{/,
];
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function']);

/**
 * The function a line is in, from the original source: the nearest declaration above it that is
 * indented less. Used when no caller names the frame (the outermost frame of a stack, one called
 * from unmapped code); a caller's call site is the better source and wins when there is one.
 */
export function enclosingFunctionName(lines: readonly string[], lineno: number): string | null {
  const at = lines[lineno - 1];
  if (at === undefined) return null;
  let indent = indentation(at);
  for (let index = lineno - 2; index >= 0 && index >= lineno - 200; index--) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const lineIndent = indentation(line);
    if (lineIndent >= indent) continue;
    indent = lineIndent;
    for (const pattern of DECLARATIONS) {
      const name = pattern.exec(line)?.[1];
      if (name !== undefined && !KEYWORDS.has(name)) return name;
    }
    if (lineIndent === 0) return null;
  }
  return null;
}

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}
