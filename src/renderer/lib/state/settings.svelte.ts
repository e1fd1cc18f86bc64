/** Settings and server info; applies the theme to the document. */
import type { ServerInfo, StreamMessage } from '../../../shared/api';
import type { Settings } from '../../../shared/settings';
import { api, type DeepPartial } from '../api';
import { notices } from './notices.svelte';

class SettingsState {
  settings = $state.raw<Settings | null>(null);
  info = $state.raw<ServerInfo | null>(null);

  async load(): Promise<void> {
    try {
      const [settings, info] = await Promise.all([api.settings(), api.info()]);
      this.info = info;
      this.#set(settings);
    } catch (error) {
      notices.error(error);
    }
  }

  async update(patch: DeepPartial<Settings>): Promise<void> {
    try {
      this.#set(await api.updateSettings(patch));
    } catch (error) {
      notices.error(error);
    }
  }

  apply(message: StreamMessage): void {
    if (message.type === 'settings.changed') this.#set(message.settings);
  }

  #set(settings: Settings): void {
    this.settings = settings;
    applyTheme(settings.theme);
  }
}

/** `system` leaves the choice to `prefers-color-scheme` (see app.css). */
export function applyTheme(theme: Settings['theme']): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

export const settingsState = new SettingsState();
