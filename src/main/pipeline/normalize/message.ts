/** The event message: a plain `message` string, or a `logentry` template with params. */
import type { LogEntry } from '../../../shared/event';
import { trimData } from './data';
import { NORMALIZE_LIMITS as L } from './limits';
import { isObject, lenientString, strictString, truncate, type JsonObject } from './values';

export interface NormalizedMessage {
  message?: string;
  logentry?: LogEntry;
}

/**
 * Relay reads `logentry` (or the legacy `sentry.interfaces.Message`, or an object in `message`)
 * first; a plain `message` string is the formatted text when no logentry says otherwise.
 */
export function normalizeMessage(raw: JsonObject): NormalizedMessage {
  const rawMessage = raw['message'];
  const entrySource = [raw['logentry'], raw['sentry.interfaces.Message'], rawMessage].find(isObject);
  const logentry = entrySource ? normalizeLogEntry(entrySource) : undefined;
  const plain = lenientString(rawMessage, L.message);
  const message = logentry?.formatted ?? logentry?.message ?? plain;
  const out: NormalizedMessage = {};
  if (message !== undefined) out.message = message;
  if (logentry) out.logentry = logentry;
  return out;
}

function normalizeLogEntry(raw: JsonObject): LogEntry | undefined {
  const entry: LogEntry = {};
  const template = strictString(raw['message'], L.message);
  if (template !== undefined) entry.message = template;
  const params = raw['params'];
  if (Array.isArray(params)) entry.params = params.map((param) => trimData(param, 1) ?? null);
  else if (isObject(params)) entry.params = trimData(params, 0) as Record<string, unknown>;
  const formatted =
    strictString(raw['formatted'], L.message) ??
    (template !== undefined && entry.params !== undefined ? truncate(formatTemplate(template, entry.params), L.message) : undefined);
  if (formatted !== undefined) entry.formatted = formatted;
  return entry.message === undefined && entry.formatted === undefined ? undefined : entry;
}

/**
 * printf-style formatting as Python's logging does it (the SDKs that send params are mostly
 * Python's): `%s`, `%d`, `%i`, `%f`, `%r` take positional params in order, `%(name)s` takes named
 * params, `%%` is a percent sign. A placeholder without a matching param is left as written.
 */
export function formatTemplate(template: string, params: unknown[] | Record<string, unknown>): string {
  let position = 0;
  return template.replace(/%(?:\(([^)]*)\))?([sdifr%])/g, (whole, name: string | undefined, kind: string) => {
    if (kind === '%' && name === undefined) return '%';
    if (name !== undefined) {
      return !Array.isArray(params) && Object.hasOwn(params, name) ? paramText(params[name], kind) : whole;
    }
    if (!Array.isArray(params) || position >= params.length) return whole;
    return paramText(params[position++], kind);
  });
}

function paramText(value: unknown, kind: string): string {
  if (kind === 'r' && typeof value === 'string') return `'${value}'`;
  if ((kind === 'd' || kind === 'i') && typeof value === 'number') return String(Math.trunc(value));
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  return json ?? String(value);
}
