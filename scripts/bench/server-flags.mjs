// Node/V8 flags the core runs with: by `npm start` and the bench, and by the Electron main process (src/main/shell/v8-flags.ts).
// --max-semi-space-size=4 (MB): V8 otherwise grows the young generation to 16 MB semi-spaces,
// which is ~25 MB of RSS this server does not need. Measured at 400 events/s (BENCHMARKS.md):
// VmHWM 117 MB with no flag, 93 MB with 4, 101–103 MB with 2 (smaller semi-spaces promote
// short-lived objects into the old generation, which then grows), 87–92 MB with
// --optimize-for-size but at ~30% more CPU per event; CPU per event with 4 is the same as none.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];

// Environment the headless server process starts with (by `npm start` and the bench), unless the
// user's environment sets the same variable. MALLOC_ARENA_MAX=2: glibc gives each thread that
// allocates (libuv's pool, V8's GC and compiler threads, the checkpoint worker) an arena of its
// own, and a freed block stays resident in its arena. Paired at 400 events/s (the same build with
// and without, sides swapped): peak RSS 109.8 → 97.3 and 103.8 → 96.5 MB, 12 s after the load
// 96.3 → 85.4 and 91.1 → 85.6 MB, CPU per event +4% and +0%. Other C libraries ignore it.
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' };

/** `env` with SERVER_ENV's variables added where it does not set them. */
export function serverEnv(env = process.env) {
  return { ...SERVER_ENV, ...env };
}
