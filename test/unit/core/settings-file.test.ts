import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSettings, SettingsFile } from '../../../src/main/core/settings-file';
import { defaultSettings } from '../../../src/shared/settings';

describe('settings', () => {
  it('deep-merges known keys and drops unknown or mistyped ones', () => {
    const merged = mergeSettings(defaultSettings(), {
      notifications: { onNew: false, bogus: 1 },
      retention: { maxAgeDays: '7' },
      theme: 'dark',
      unknown: true,
    });
    expect(merged.notifications).toEqual({ enabled: true, onNew: false, onRegression: true, pausedUntil: null, bogus: 1 });
    expect(merged.retention.maxAgeDays).toBe(90);
    expect(merged.theme).toBe('dark');
  });

  it('persists to settings.json and reads it back; a broken file falls back to defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacktray-settings-'));
    new SettingsFile(dir).update({ port: 9999, notifications: { pausedUntil: 'forever' } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).port).toBe(9999);
    const reread = new SettingsFile(dir).get();
    expect(reread.port).toBe(9999);
    expect(reread.notifications.pausedUntil).toBe('forever');
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    expect(new SettingsFile(dir).get()).toEqual(defaultSettings());
  });
});
