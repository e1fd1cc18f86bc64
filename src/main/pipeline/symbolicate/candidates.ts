/**
 * Which frames of an event a source map could resolve, and under which key the map is looked up.
 * Pure and cheap: the ingest path asks this once per event.
 */
import { fileURLToPath } from 'node:url';
import type { SentryEvent, StackFrame } from '../../../shared/event';

/** One file (path or URL as sent) whose map is wanted, with its debug ID when the SDK sent one. */
export interface MapRequest {
  /** The frame's abs_path (or its URL filename) as sent: the key `symbolicateEvent` looks up. */
  file: string;
  debugId?: string;
}

/** Built JavaScript: only such files carry source maps (with Vite's `?t=`/`?v=` queries allowed). */
const SCRIPT_FILE = /\.(m?js|cjs)(?:[?#].*)?$/i;
const URL_PREFIX = /^https?:\/\//i;

const ABSOLUTE_PATH = /^(\/|[a-zA-Z]:[\\/]|file:\/\/)/;

/** The file a frame ran in: `abs_path`, or the URL or absolute path SDKs put in `filename` (@sentry/node does). */
export function frameFile(frame: StackFrame): string | undefined {
  if (frame.abs_path !== undefined && frame.abs_path !== '') return frame.abs_path;
  if (frame.filename !== undefined && (URL_PREFIX.test(frame.filename) || ABSOLUTE_PATH.test(frame.filename))) return frame.filename;
  return undefined;
}

/** An absolute local path (POSIX, Windows drive, or a file: URL made a path); null for URLs and relative names. */
export function localFilePath(name: string | undefined): string | null {
  if (!name) return null;
  if (name.startsWith('file://')) {
    try {
      return fileURLToPath(name);
    } catch {
      return null;
    }
  }
  if (name.startsWith('/') && !name.startsWith('//')) return name;
  if (/^[A-Za-z]:[\\/]/.test(name)) return name;
  return null;
}

function isCandidateFile(file: string): boolean {
  if (file.startsWith('node:') || file.includes('/node_modules/') || file.includes('\\node_modules\\')) return false;
  return SCRIPT_FILE.test(file) || URL_PREFIX.test(file);
}

/** `debug_meta.images` of type sourcemap: code_file → debug ID. */
export function debugIdsByFile(event: SentryEvent): Map<string, string> {
  const ids = new Map<string, string>();
  for (const image of event.debug_meta?.images ?? []) {
    if (image.type === 'sourcemap' && image.code_file && image.debug_id) ids.set(image.code_file, image.debug_id.toLowerCase());
  }
  return ids;
}

/** The distinct files of the event's exception frames that a source map could resolve. */
export function mapRequests(event: SentryEvent): MapRequest[] {
  const values = event.exception?.values;
  if (values === undefined) return [];
  const debugIds = debugIdsByFile(event);
  const requests = new Map<string, MapRequest>();
  for (const exception of values) {
    // Already processed (an imported export): its frames are the resolved ones.
    if (exception.raw_stacktrace) continue;
    for (const frame of exception.stacktrace?.frames ?? []) {
      const file = frameFile(frame);
      if (file === undefined || requests.has(file) || frame.lineno === undefined) continue;
      const debugId = debugIds.get(file);
      if (debugId === undefined && !isCandidateFile(file)) continue;
      requests.set(file, debugId === undefined ? { file } : { file, debugId });
    }
  }
  return [...requests.values()];
}

/** Every file an event's frames name (resolved and as sent): what "Open in editor" may open for it. */
export function frameFiles(event: SentryEvent): Set<string> {
  const files = new Set<string>();
  const stacks = [
    ...(event.exception?.values ?? []).flatMap((value) => [value.stacktrace, value.raw_stacktrace]),
    ...(event.threads?.values ?? []).map((thread) => thread.stacktrace),
  ];
  for (const stack of stacks) {
    for (const frame of stack?.frames ?? []) {
      const file = frameFile(frame);
      if (file !== undefined) files.add(file);
      // A resolved dev-server frame names its local file in `filename` (Vite's /@fs/ paths).
      if (frame.filename !== undefined && ABSOLUTE_PATH.test(frame.filename)) files.add(frame.filename);
    }
  }
  return files;
}

/** The frame where the error was raised in the app's own code, when its file is a local path. */
export function topInAppFrame(event: SentryEvent): { path: string; line?: number; column?: number; eventId: string } | null {
  const values = event.exception?.values ?? [];
  for (let v = values.length - 1; v >= 0; v--) {
    const frames = values[v]?.stacktrace?.frames ?? [];
    for (let f = frames.length - 1; f >= 0; f--) {
      const frame = frames[f]!;
      const file = frameFile(frame);
      if (frame.in_app !== true || file === undefined || !ABSOLUTE_PATH.test(file) || file.startsWith('file://')) continue;
      return { path: file, line: frame.lineno, column: frame.colno, eventId: event.event_id };
    }
  }
  return null;
}
