/** One shared ticking clock so relative times ("3min ago") stay true without each row running a timer. */
class Clock {
  now = $state(Date.now());

  constructor() {
    setInterval(() => (this.now = Date.now()), 30_000);
  }
}

export const clock = new Clock();
