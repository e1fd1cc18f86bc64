/** Display formatting: relative and exact times, counts. Pure. */

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const FUTURE_SKEW_SECONDS = 60;

/** "3 min ago", "just now"; short forms keep dense rows calm. */
export function relativeTime(iso: string | number, now = Date.now()): string {
  const then = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(then)) return '—';
  const seconds = Math.round((now - then) / 1000);
  // Up to a minute ahead is clock skew (an SDK's clock, or a clock that has not ticked yet).
  if (seconds < 10 && seconds >= -FUTURE_SKEW_SECONDS) return 'just now';
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      const value = Math.floor(Math.abs(seconds) / size);
      const short = { year: 'y', month: 'mo', day: 'd', hour: 'h', minute: 'min', second: 's' }[unit as string];
      return seconds >= 0 ? `${value}${short} ago` : `in ${value}${short}`;
    }
  }
  return 'just now';
}

export function exactTime(iso: string | number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** HH:MM:SS.mmm, for breadcrumb timelines. */
export function clockTime(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return '—';
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Offset of a breadcrumb from the error: "-1.25s", "-3min". */
export function offsetFrom(epochSeconds: number, errorSeconds: number): string {
  const delta = epochSeconds - errorSeconds;
  const abs = Math.abs(delta);
  const sign = delta < 0 ? '−' : '+';
  if (abs < 0.0005) return '0ms';
  if (abs < 1) return `${sign}${Math.round(abs * 1000)}ms`;
  if (abs < 60) return `${sign}${abs < 10 ? abs.toFixed(2) : abs.toFixed(1)}s`;
  if (abs < 3600) return `${sign}${Math.floor(abs / 60)}m ${Math.floor(abs % 60)}s`;
  return `${sign}${(abs / 3600).toFixed(1)}h`;
}

export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** Any JSON-ish value as display text (strings unquoted, the rest as compact JSON). */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

const BINARY_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Sizes in powers of 1024 with one decimal, as Sentry shows device memory and attachments: "23.5 GiB". */
export function bytes(n: number): string {
  if (Math.abs(n) < 1024) return `${n} B`;
  let value = n;
  let unit = 0;
  do {
    value /= 1024;
    unit += 1;
  } while (Math.abs(value) >= 1024 && unit < BINARY_UNITS.length);
  return `${value.toFixed(1)} ${BINARY_UNITS[unit - 1]}`;
}
