/**
 * One shared clock so relative times ("3min ago") stay true without each row running a timer.
 * It ticks slowly, so it also re-reads the time whenever data arrives: a row that just came in
 * is compared with now, not with the last tick (which would put it in the future).
 */
import { stream } from './stream.svelte';

class Clock {
  now = $state(Date.now());

  constructor() {
    setInterval(() => this.sync(), 30_000);
    stream.subscribe(() => this.sync());
  }

  sync(): void {
    this.now = Date.now();
  }
}

export const clock = new Clock();
