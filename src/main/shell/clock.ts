/** Time as the shell sees it: injectable so tests can step through pauses and throttles deterministically. */
export interface ShellClock {
  now(): Date;
  /** Runs `run` once after `ms`; returns a cancel function. */
  setTimer(run: () => void, ms: number): () => void;
}

export const systemClock: ShellClock = {
  now: () => new Date(),
  setTimer(run, ms) {
    const timer = setTimeout(run, ms);
    // A pending tray refresh must not keep a quitting process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
