/**
 * Coercions shared by the normalizer. Like relay, fields are lenient on the way in (numbers where a
 * string is expected become strings, numeric strings become numbers) and strict on the way out:
 * every helper returns the field's exact type or undefined, never throws.
 */
import type { Level } from '../../../shared/event';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cuts a string to at most `max` code points, marking the cut with "..." as relay does. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - 3)).join('') + '...';
}

/** A string field: strings as sent, numbers and booleans stringified (relay's lenient strings). */
export function lenientString(value: unknown, max: number): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'boolean') text = value ? 'True' : 'False';
  if (text === undefined || text === '') return undefined;
  return truncate(text, max);
}

/** A string field that only accepts strings. */
export function strictString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' ? truncate(value, max) : undefined;
}

export function optionalBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Line and column numbers, ids: non-negative integers, also when sent as numeric strings. */
export function nonNegativeInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** Ids that may be numbers or strings (thread ids). */
export function idValue(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return strictString(value, 128);
}

const RFC3339_OFFSET = /(?:z|[+-]\d{2}:?\d{2})$/i;

/** Seconds since the epoch (float) from epoch seconds, a numeric string or an RFC 3339 date. */
export function timestampSeconds(value: unknown): number | undefined {
  let seconds: number | undefined;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+(?:\.\d+)?$/.test(text)) seconds = Number(text);
    else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
      // Relay reads a date without an offset as UTC; Date.parse would take local time.
      const withOffset = RFC3339_OFFSET.test(text) ? text : `${text}Z`;
      seconds = parseFractionalDate(withOffset.replace(' ', 'T'));
    }
  }
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Date.parse keeps milliseconds only; SDKs send microseconds, so the fraction is read separately. */
function parseFractionalDate(text: string): number | undefined {
  const fraction = /\.(\d+)/.exec(text);
  const whole = Date.parse(fraction ? text.replace(fraction[0], '') : text);
  if (Number.isNaN(whole)) return undefined;
  return whole / 1000 + (fraction?.[1] ? Number(`0.${fraction[1]}`) : 0);
}

const LEVEL_ALIASES: Record<string, Level> = {
  fatal: 'fatal',
  critical: 'fatal',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  log: 'info',
  debug: 'debug',
  trace: 'debug',
};

/** Python's numeric logging levels, which some SDKs send as is. */
const NUMERIC_LEVELS: [number, Level][] = [
  [50, 'fatal'],
  [40, 'error'],
  [30, 'warning'],
  [20, 'info'],
  [0, 'debug'],
];

export function normalizeLevel(value: unknown): Level | undefined {
  if (typeof value === 'string') return LEVEL_ALIASES[value.trim().toLowerCase()];
  if (typeof value === 'number' && Number.isFinite(value)) {
    return NUMERIC_LEVELS.find(([threshold]) => value >= threshold)?.[1];
  }
  return undefined;
}

/** Sentry's `{values: [...]}` wrapper, a bare list, or (for exceptions) one bare value. */
export function valuesList(value: unknown, allowSingle = false): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    if (Array.isArray(value['values'])) return value['values'];
    if (allowSingle && !('values' in value)) return [value];
  }
  return undefined;
}
