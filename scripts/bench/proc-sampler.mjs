// Memory and CPU of another process from /proc: VmRSS sampled on an interval, VmHWM (the
// kernel's own peak) on demand, and CPU seconds from /proc/<pid>/stat. Linux only.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

export function readStatusKb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : null;
}

export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
}

export class RssSampler {
  constructor(pid, intervalMs = 100) {
    this.pid = pid;
    this.peakKb = 0;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  sample() {
    try {
      const rss = readStatusKb(this.pid, 'VmRSS');
      if (rss !== null) this.peakKb = Math.max(this.peakKb, rss);
    } catch {
      // The process is gone; the last samples stand.
    }
  }

  /** Peak sampled since the last reset, then starts a new window. */
  takePeakMb() {
    this.sample();
    const peak = this.peakKb / 1024;
    this.peakKb = 0;
    return Math.round(peak * 10) / 10;
  }

  hwmMb() {
    const hwm = readStatusKb(this.pid, 'VmHWM');
    return hwm === null ? null : Math.round((hwm / 1024) * 10) / 10;
  }

  stop() {
    clearInterval(this.timer);
  }
}

/**
 * What the process's resident memory is made of now (/proc/<pid>/status): anonymous memory (the
 * V8 heap, malloc'd native memory, thread stacks) apart from file-backed pages (the Node binary,
 * native modules) and shared memory. The split inside the anonymous part (V8 heap against native)
 * only the process itself can tell: `node scripts/bench/memory.mjs` measures that in-process.
 */
export function memoryBreakdownMb(pid) {
  const mb = (field) => {
    const kb = readStatusKb(pid, field);
    return kb === null ? null : Math.round((kb / 1024) * 10) / 10;
  };
  return { rss: mb('VmRSS'), anon: mb('RssAnon'), file: mb('RssFile'), shmem: mb('RssShmem') };
}
