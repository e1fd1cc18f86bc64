import { availableParallelism } from 'node:os';

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

// Node options, and V8 flags for one runtime only, the headless server starts with (not the
// Electron main process: its `--js-flags` are MAIN_PROCESS_V8_FLAGS, src/main/shell/v8-flags.ts).
//
// --v8-pool-size: Node starts 4 helper threads for V8's GC and compiler whatever the machine; with
// more helpers than spare cores, a parallel scavenge waits for helpers that are not running. One
// fewer than the cores, at most Node's 4. Paired at 400 events/s on 2 cores (load 5–6, the latency
// probe in both): scavenges 2.53 → 1.25 and 3.96 → 1.22 ms on average, over 3 ms 52 → 19 and
// 52 → 23; mark-compacts 10.3 → 9.0 and 22.1 → 4.8 ms; CPU per event 815/813 and 803/817 µs;
// peak RSS 1.9 and 0.6 MB lower.
//
// --no-maglev-destroy-on-background, where V8 has the flag (12 and later: Node 22+; Node 20's V8
// refuses it, and Maglev runs by default from Node 24): finished Maglev jobs are then freed on the
// main thread, not a helper's. Freed on a helper, their memory stayed in glibc's main heap as free
// space: after 10 s at 400/s on Node 24 the heap held 29.1 MB, 20.0 of it free (what `malloc_trim`
// gave back); with the flag 18.0 MB, 7.1 free.
// Paired on Node 24.22, each side three times at 400 events/s (the mix, 12 s): peak RSS 132–133 →
// 113–116 MB, CPU per event 1029–1160 → 985–1089 µs; flat out, peak hot 141 → 118–120, storm
// 153–157 → 142–146, mix 142–168 → 115–128 MB, CPU per event within the pairs' spread.
export function serverNodeOptions(cores = availableParallelism(), v8Version = process.versions.v8) {
  const options = [`--v8-pool-size=${Math.min(4, Math.max(1, cores - 1))}`];
  if (v8Major(v8Version) >= 12) options.push('--no-maglev-destroy-on-background');
  return options;
}

/** The server's command-line flags: `flags`, then the options of serverNodeOptions `flags` does not set. */
export function serverProcessFlags(flags, cores = availableParallelism(), v8Version = process.versions.v8) {
  const named = new Set(flags.map(optionName));
  return [...flags, ...serverNodeOptions(cores, v8Version).filter((option) => !named.has(optionName(option)))];
}

function v8Major(version) {
  return Number.parseInt(version.split('.')[0] ?? '', 10) || 0;
}

/** `--no-foo_bar=1` and `--foo-bar` name the same option. */
function optionName(flag) {
  return flag.replace(/^--?/, '').split('=')[0].replace(/_/g, '-').replace(/^no-/, '');
}
