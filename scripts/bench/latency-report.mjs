// Reads what scripts/bench/latency-probe.cjs wrote and prints where the slow requests' time went:
// server-side request percentiles, each cause's histogram, COMMITs with and without a checkpoint
// running, and the slow ingest requests (≥ --slow-ms) by what overlapped them.
//   node scripts/bench/latency-report.mjs <probe.json> [--requests N] [--slow-ms 3]
// --requests N: only the first N ingest requests and what happened until the last of them was
// answered (`npm run bench --short` sends 1,200 warm-up and 3,200 steady requests at 400/s first).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { requests: { type: 'string' }, 'slow-ms': { type: 'string', default: '3' } },
});
const probe = JSON.parse(readFileSync(positionals[0], 'utf8'));
const slowMs = Number(args['slow-ms']);
const envelopes = args.requests ? probe.envelopeMs.slice(0, Number(args.requests)) : probe.envelopeMs;
const windowStart = envelopes[0]?.[0] ?? 0;
const windowEnd = Math.max(...envelopes.map(([start, ms]) => start + ms));
const inWindow = ([start]) => start >= windowStart && start <= windowEnd;

const round = (ms) => Math.round(ms * 100) / 100;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
function describe(h) {
  const buckets = probe.bounds.map((bound, i) => (h.buckets[i] ? `≤${bound}:${h.buckets[i]}` : '')).filter(Boolean).join(' ');
  return `n ${h.n}, mean ${round(h.sum / h.n)}, max ${h.max} ms  [${buckets}]`;
}
function summarize(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const over1 = sorted.filter((ms) => ms > 1).length;
  return `n ${sorted.length}, mean ${round(sorted.reduce((a, b) => a + b, 0) / sorted.length)}, p99 ${round(percentile(sorted, 0.99))}, max ${round(sorted[sorted.length - 1])} ms, over 1 ms ${over1} (${round((100 * over1) / sorted.length)}%)`;
}

const served = envelopes.map(([, ms]) => ms).sort((a, b) => a - b);
console.log(`ingest requests, server side (${served.length}): p50 ${round(percentile(served, 0.5))}, p95 ${round(percentile(served, 0.95))}, p99 ${round(percentile(served, 0.99))}, p99.9 ${round(percentile(served, 0.999))}, max ${round(served[served.length - 1])} ms`);
const d = probe.eventLoopDelay;
console.log(`event-loop delay (whole run): p50 ${round(d.p50)}, p99 ${round(d.p99)}, p99.9 ${round(d.p999)}, max ${round(d.max)} ms`);
for (const [kind, h] of Object.entries(probe.requests)) console.log(`requests ${kind} (whole run): ${describe(h)}`);
for (const [kind, h] of Object.entries(probe.gc)) console.log(`GC ${kind} (whole run): ${describe(h)}`);
console.log(`transactions (whole run): ${describe(probe.transactions)}`);
for (const [method, h] of Object.entries(probe.fsWaits)) console.log(`fs.promises.${method} (whole run): ${describe(h)}`);

const checkpoints = probe.checkpoints.filter(inWindow);
const overlapsCheckpoint = ([start, ms]) => checkpoints.some(([cs, cms]) => cs < start + ms && cs + cms > start);
const commits = probe.commits.filter(inWindow);
console.log(`checkpoint round trips: ${summarize(checkpoints.map(([, ms]) => ms))}`);
console.log(`COMMITs while a checkpoint ran: ${summarize(commits.filter(overlapsCheckpoint).map(([, ms]) => ms))}`);
console.log(`COMMITs otherwise:              ${summarize(commits.filter((c) => !overlapsCheckpoint(c)).map(([, ms]) => ms))}`);

console.log('statements by total time (whole run):');
for (const [sql, h] of Object.entries(probe.statements).sort((a, b) => b[1].sum - a[1].sum).slice(0, 10)) console.log(`  ${describe(h)}  ${sql}`);
console.log('slow callbacks by total time (whole run):');
for (const [label, h] of Object.entries(probe.timers).sort((a, b) => b[1].sum - a[1].sum).slice(0, 8)) console.log(`  ${describe(h)}  ${label}`);

const blockers = probe.blockers.filter(inWindow);
const slow = envelopes.filter(([, ms]) => ms >= slowMs);
const causes = new Map();
for (const [start, ms] of slow) {
  const overlapping = blockers.filter(([bs, bms]) => bs < start + ms && bs + bms > start);
  const key = [...new Set(overlapping.map(([, , kind, label]) => `${kind}${label ? ` ${label.slice(0, 50)}` : ''}`))].sort().join(' + ') || '(nothing on the loop: waiting for I/O, or the process off the CPU)';
  causes.set(key, (causes.get(key) ?? 0) + 1);
}
console.log(`ingest requests ≥ ${slowMs} ms: ${slow.length} of ${envelopes.length}, by what overlapped them on the loop (blockers ≥ 1.5 ms):`);
for (const [key, count] of [...causes].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(count).padStart(5)}  ${key}`);
