/**
 * Gives the young generation's pages back to the OS once the process has gone quiet.
 *
 * Start-up and every ingest burst grow V8's new space to its maximum (two 4 MB semi-spaces with
 * the server's flags, scripts/bench/server-flags.mjs), and V8 only shrinks it in a GC that finds
 * the allocation rate of the last ~5 s low. An idle server makes few GCs, so the 8 MB stayed
 * resident until some small allocation happened to set one off (V8's memory reducer never ran
 * here: one start of three was still at 80 MB after 14 s, the others fell to 67.5 MB after ~10 s).
 * A few minor GCs, once the event loop has been quiet for 4 s, find that rate low and shrink new
 * space to 1–2 MB every time (idle RSS 63.7–66.4 MB after 14 s, scripts/bench/memory.mjs shows
 * it); one major GC then frees what a burst left in old space. Each minor GC takes ~1 ms, and
 * none runs while the server is busy.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How often the event loop's utilization is read. */
const CHECK_MS = 2_000;
/** Below this share of busy time a check interval counts as quiet (a UI request costs a few ms). */
const QUIET_UTILIZATION = 0.02;
/** Quiet intervals before the first GC: V8 weighs the allocation rate over ~5 s. */
const QUIET_CHECKS_BEFORE_TRIM = 2;
/** Minor GCs at most per quiet period, should new space not shrink sooner. */
const MAX_MINOR_GCS = 6;

export type TrimStep = 'minor' | 'major' | null;

/**
 * Pure: what to do at one check, given that interval's event-loop utilization and the new
 * space's size now. Minor GCs until new space has shrunk and stopped shrinking (or MAX_MINOR_GCS),
 * then one major GC; then nothing until the process has been busy and gone quiet again.
 */
export class TrimPolicy {
  private quietChecks = 0;
  private minorGcs = 0;
  private shrunk = false;
  private lastNewSpaceBytes: number | null = null;
  private done = false;

  check(utilization: number, newSpaceBytes: number): TrimStep {
    if (utilization > QUIET_UTILIZATION) {
      this.quietChecks = 0;
      this.minorGcs = 0;
      this.shrunk = false;
      this.lastNewSpaceBytes = null;
      this.done = false;
      return null;
    }
    this.quietChecks++;
    if (this.done || this.quietChecks < QUIET_CHECKS_BEFORE_TRIM) return null;
    const last = this.lastNewSpaceBytes;
    if (last !== null && newSpaceBytes < last) this.shrunk = true;
    const settled = this.shrunk && last !== null && newSpaceBytes >= last;
    if (settled || this.minorGcs >= MAX_MINOR_GCS) {
      this.done = true;
      return 'major';
    }
    this.minorGcs++;
    this.lastNewSpaceBytes = newSpaceBytes;
    return 'minor';
  }
}

/**
 * The last step is a memory-reducing full GC ("last resort": all available garbage), not a
 * regular one: the V8 of Node 24 keeps the pages a shrinking new space gives up in a pool, and
 * only such a GC returns them to the OS (BENCHMARKS.md, seventh round: after minor GCs shrank new
 * space 8 -> 1 MB, RssAnon stayed at 21.1 MB through a regular full GC and fell to 10.0 MB with
 * this one). Node 20 returns them at the minor GCs already. It runs once per quiet period, when
 * nothing waits on the event loop.
 */
const FINAL_GC = { type: 'major', execution: 'sync', flavor: 'last-resort' } as const;

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync'; flavor?: 'regular' | 'last-resort' }) => void;

let collect: Collect | null | undefined;

/**
 * V8's `gc`, reached without `--expose-gc` on the command line: the flag, set now, gives `gc` to
 * contexts made from here on, so only this new one has it (the app's own global stays without).
 * Null where the runtime refuses flags after start-up: the trim then stops.
 */
function garbageCollector(): Collect | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const found: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      collect = typeof found === 'function' ? (found as Collect) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

export function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

export interface IdleHeapTrim {
  stop(): void;
}

/** Checks every `checkMs` (unref'd: it never keeps the process alive). */
export function startIdleHeapTrim(checkMs: number = CHECK_MS): IdleHeapTrim {
  const policy = new TrimPolicy();
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const step = policy.check(performance.eventLoopUtilization(now, last).utilization, newSpaceBytes());
    last = now;
    if (!step) return;
    const gc = garbageCollector();
    if (gc) gc(step === 'major' ? FINAL_GC : { type: 'minor', execution: 'sync' });
    else clearInterval(timer);
  }, checkMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
