import { untrack } from 'svelte';

/**
 * A form field's draft of a saved value. It follows the saved value while the user has not
 * changed it, and keeps what the user typed when the saved value is reloaded under it (the
 * stream's resync, a refresh tick), so a reload never throws away an edit in progress.
 */
export class Draft<T> {
  value = $state() as T;
  #saved: T;

  constructor(saved: T) {
    this.value = saved;
    this.#saved = saved;
  }

  /** The saved value as now loaded. Reads the draft untracked: typing must not re-run the caller's effect. */
  follow(saved: T): void {
    untrack(() => {
      if (this.value === this.#saved) this.value = saved;
    });
    this.#saved = saved;
  }
}
