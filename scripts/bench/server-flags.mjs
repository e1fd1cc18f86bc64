// Node/V8 flags the core runs with: by `npm start` and the bench, and by the Electron main process (src/main/shell/v8-flags.ts).
// --max-semi-space-size=4 (MB): V8 otherwise grows the young generation to 16 MB semi-spaces,
// which is ~25 MB of RSS this server does not need. Measured at 400 events/s (BENCHMARKS.md):
// VmHWM 117 MB with no flag, 93 MB with 4, 101–103 MB with 2 (smaller semi-spaces promote
// short-lived objects into the old generation, which then grows), 87–92 MB with
// --optimize-for-size but at ~30% more CPU per event; CPU per event with 4 is the same as none.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];
