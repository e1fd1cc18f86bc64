/**
 * Display of the well-known fields of Sentry's contexts (device, app, gpu…), by context type and
 * field name, with the units Sentry's Contexts Interface gives them: sizes in bytes (the GPU's in
 * megabytes), times as ISO strings, battery in percent. Other fields show as they came. Pure.
 */
import { bytes, displayValue, exactTime } from './format';

export interface ShownValue {
  text: string;
  /** The value as sent, when `text` reformats it (shown on hover). */
  raw?: string;
  /** Says nothing (a processor frequency of 0: the SDK could not read it): not shown. */
  hidden?: boolean;
}

type Unit = 'bytes' | 'megabytes' | 'time' | 'percent' | 'megahertz';

const FIELD_UNITS: Record<string, Record<string, Unit>> = {
  device: {
    memory_size: 'bytes',
    free_memory: 'bytes',
    usable_memory: 'bytes',
    storage_size: 'bytes',
    free_storage: 'bytes',
    external_storage_size: 'bytes',
    external_free_storage: 'bytes',
    boot_time: 'time',
    battery_level: 'percent',
    processor_frequency: 'megahertz',
  },
  // The Node SDK's app context carries the process's free_memory beside device memory.
  app: { app_memory: 'bytes', free_memory: 'bytes', app_start_time: 'time' },
  gpu: { memory_size: 'megabytes' },
  response: { body_size: 'bytes' },
};

// Numbers above this are epoch milliseconds, below epoch seconds (year 5138 in seconds).
const EPOCH_MS_THRESHOLD = 1e11;

function shownTime(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return exactTime(value > EPOCH_MS_THRESHOLD ? value : value * 1000);
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : exactTime(time);
  }
  return null;
}

function shownWithUnit(unit: Unit, value: unknown): string | null {
  if (unit === 'time') return shownTime(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  switch (unit) {
    case 'bytes': return bytes(value);
    case 'megabytes': return bytes(value * 1024 * 1024);
    case 'percent': return `${Number(value.toFixed(1))}%`;
    case 'megahertz': return value >= 1000 ? `${Number((value / 1000).toFixed(2))} GHz` : `${Math.round(value)} MHz`;
  }
}

/** `type` is the context's `type` field, or its key when it has none (`client_os` is of type `os`). */
export function contextValue(type: string, field: string, value: unknown): ShownValue {
  const raw = displayValue(value);
  const unit = FIELD_UNITS[type]?.[field];
  if (unit === 'megahertz' && typeof value === 'number' && value <= 0) return { text: raw, hidden: true };
  const text = unit ? shownWithUnit(unit, value) : null;
  return text === null || text === raw ? { text: raw } : { text, raw };
}

/** A context's type: its `type` field when it is a string, else the key it is stored under. */
export function contextType(key: string, values: Record<string, unknown>): string {
  return typeof values['type'] === 'string' && values['type'] ? values['type'] : key;
}
