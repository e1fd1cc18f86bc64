/**
 * The parts of an event that source-map processing reads or writes: `debug_meta.images` (sent by
 * SDKs after `sentry-cli sourcemaps inject`), `errors` (problems Stacktray met, written into the
 * stored payload at ingest) and a frame's `data` (how it was resolved).
 */
import type { DebugImage, FrameData, ProcessingError, SourceMapOrigin } from '../../../shared/event';
import { NORMALIZE_LIMITS as L } from './limits';
import { isObject, strictString } from './values';

const MAX_IMAGES = 1000;
const MAX_ERRORS = 100;
const ORIGINS = new Set<SourceMapOrigin>(['debug-id', 'release', 'file', 'dev-server']);

export function normalizeDebugMeta(raw: unknown): { images: DebugImage[] } | undefined {
  if (!isObject(raw) || !Array.isArray(raw['images'])) return undefined;
  const images: DebugImage[] = [];
  for (const item of raw['images'].slice(0, MAX_IMAGES)) {
    if (!isObject(item)) continue;
    const type = strictString(item['type'], 64);
    if (type === undefined) continue;
    const image: DebugImage = { type };
    const codeFile = strictString(item['code_file'], L.path);
    if (codeFile !== undefined) image.code_file = codeFile;
    const debugId = strictString(item['debug_id'], 64);
    if (debugId !== undefined) image.debug_id = debugId;
    images.push(image);
  }
  return images.length > 0 ? { images } : undefined;
}

export function normalizeProcessingErrors(raw: unknown): ProcessingError[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const errors: ProcessingError[] = [];
  for (const item of raw.slice(0, MAX_ERRORS)) {
    if (!isObject(item)) continue;
    const type = strictString(item['type'], 64);
    const message = strictString(item['message'], 500);
    if (type === undefined || message === undefined) continue;
    const error: ProcessingError = { type, message };
    const url = strictString(item['url'], L.path);
    if (url !== undefined) error.url = url;
    errors.push(error);
  }
  return errors.length > 0 ? errors : undefined;
}

/** Only how the frame was resolved is kept: disk context is marked when it is read, never stored. */
export function normalizeFrameData(raw: unknown): FrameData | undefined {
  if (!isObject(raw)) return undefined;
  const data: FrameData = {};
  const sourcemap = strictString(raw['sourcemap'], L.path);
  if (sourcemap !== undefined) data.sourcemap = sourcemap;
  const origin = raw['resolved_with'];
  if (typeof origin === 'string' && ORIGINS.has(origin as SourceMapOrigin)) data.resolved_with = origin as SourceMapOrigin;
  return Object.keys(data).length > 0 ? data : undefined;
}
