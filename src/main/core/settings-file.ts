/** Settings persisted as settings.json in the data folder, written atomically. */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings, type Settings } from '../../shared/settings';
import { SETTINGS_FILE } from './paths';

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `patch` into `base`; a key `base` already has keeps its type (a mistyped value is dropped). */
export function mergeSettings<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return base;
  const merged: PlainObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = (base as PlainObject)[key];
    if (isPlainObject(current)) merged[key] = mergeSettings(current, value);
    else if (current === undefined || current === null || value === null || typeof value === typeof current) merged[key] = value;
  }
  return merged as T;
}

export class SettingsFile {
  private current: Settings;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, SETTINGS_FILE);
    this.current = this.read();
  }

  get(): Settings {
    return this.current;
  }

  update(patch: unknown): Settings {
    this.current = mergeSettings(this.current, patch);
    const temporary = `${this.file}.tmp-${process.pid}`;
    writeFileSync(temporary, `${JSON.stringify(this.current, null, 2)}\n`);
    renameSync(temporary, this.file);
    return this.current;
  }

  private read(): Settings {
    try {
      return mergeSettings(defaultSettings(), JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      return defaultSettings();
    }
  }
}
