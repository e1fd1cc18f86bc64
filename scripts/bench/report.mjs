// Turns a bench result into a dated BENCHMARKS.md entry, compares it with the previous entry
// (read back from the JSON each entry embeds) and checks the targets of issue 6.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';

const DATA_MARK = /<!-- bench-data (\{.*\}) -->/g;

export const TARGETS = {
  eventsPerSecond: 5000,
  p99OverNoopMs: 3,
  steadyRssMb: 80,
  issueListMs: 50,
};

export function machine() {
  let cpu = 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: the model stays unknown
  }
  let commit = 'uncommitted';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  return { cpu, cores: availableParallelism(), node: process.version, commit, date: new Date().toISOString() };
}

/** The most recent entry's data in BENCHMARKS.md for the same fixture set, if any. */
export function previousEntry(file, fixtureSet) {
  if (!existsSync(file)) return null;
  const entries = [...readFileSync(file, 'utf8').matchAll(DATA_MARK)].map((match) => JSON.parse(match[1]));
  return entries.filter((entry) => entry.kind === 'ingest' && entry.fixtureSet === fixtureSet).at(-1) ?? null;
}

const phase = (run, name) => run.phases.find((p) => p.name === name);
const cpuPerEvent = (p) => (p.acknowledged ? (p.serverCpuSeconds * 1e6) / p.acknowledged : null);
const fmt = (value, digits = 0) => (value === null || value === undefined ? '–' : Number(value).toFixed(digits));

export function evaluate(result) {
  const ours = result.stacktray;
  const best = Math.max(...ours.phases.filter((p) => p.mode === 'closed').map((p) => p.eventsPerSecond));
  const steady = ours.phases.find((p) => p.mode === 'rate');
  const noopSteady = result.noop.phases.find((p) => p.mode === 'rate');
  const p99Gap = steady.latencyMs.p99 - noopSteady.latencyMs.p99;
  const listP95 = Math.max(...ours.phases.map((p) => p.issueListMs?.p95 ?? 0));
  const checks = [
    { target: `sustained ≥ ${TARGETS.eventsPerSecond} events/s`, value: `${fmt(best)} events/s`, met: best >= TARGETS.eventsPerSecond },
    { target: `p99 at ${steady.targetRate}/s within ${TARGETS.p99OverNoopMs} ms of no-op`, value: `+${fmt(p99Gap, 2)} ms`, met: p99Gap <= TARGETS.p99OverNoopMs },
    { target: `peak RSS at ${steady.targetRate}/s ≤ ${TARGETS.steadyRssMb} MB`, value: `${fmt(ours.steadyHwmMb, 1)} MB`, met: ours.steadyHwmMb <= TARGETS.steadyRssMb },
    { target: `issue list p95 during load < ${TARGETS.issueListMs} ms`, value: `${fmt(listP95, 1)} ms`, met: listP95 < TARGETS.issueListMs },
    {
      target: 'every acknowledged event committed and counted (issue counts = acknowledged)',
      value: `${result.db.issueCountSum} counted / ${ours.acknowledged} acknowledged`,
      met: result.db.issueCountSum === ours.acknowledged && (result.db.missingAcked ?? 0) === 0,
    },
  ];
  if (result.large) {
    checks.push({
      target: `issue list at ${result.large.issues} issues / ${result.large.events} events < ${TARGETS.issueListMs} ms`,
      value: `p95 ${fmt(result.large.listMs.p95, 1)} ms`,
      met: result.large.listMs.p95 < TARGETS.issueListMs,
    });
  }
  return { best, p99Gap, listP95, checks };
}

export function formatEntry(result, previous) {
  const { stacktray: ours, noop, fastify } = result;
  const evaluation = evaluate(result);
  const m = result.machine;
  const lines = [];
  lines.push(`## ${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.commit} · ${m.cpu}, ${m.cores} cores, Node ${m.node}`, '');
  lines.push(`Fixtures: \`${result.fixtureSet}\` (${result.fixtureCount} real @sentry/node envelopes, mean ${result.fixtureMeanBytes} B). ` +
    `Server flags: \`${result.serverFlags.join(' ') || '(none)'}\`. Phases: ${result.plan.rateMs / 1000} s at ${result.plan.rate}/s after a ${result.plan.warmupMs / 1000} s warm-up, then ${result.plan.closedMs / 1000} s per concurrency. ` +
    'No-op: plain node:http reading the body and answering 200 (the ceiling); Fastify no-op: the same through a bare Fastify route (the framework\'s own share of each request).', '');
  lines.push('| phase | Stacktray events/s | no-op events/s | ratio | Fastify no-op events/s | p50 ms | p95 ms | p99 ms | no-op p99 ms | peak RSS MB | server CPU µs/event | no-op CPU µs/event | Fastify no-op CPU µs/event | issue list p95 ms |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of ours.phases) {
    const n = phase(noop, p.name);
    const f = fastify ? phase(fastify, p.name) : undefined;
    const ratio = n && n.eventsPerSecond ? p.eventsPerSecond / n.eventsPerSecond : null;
    lines.push(`| ${p.name} | ${fmt(p.eventsPerSecond)} | ${fmt(n?.eventsPerSecond)} | ${fmt(ratio, 2)} | ${fmt(f?.eventsPerSecond)} | ${fmt(p.latencyMs.p50, 2)} | ${fmt(p.latencyMs.p95, 2)} | ${fmt(p.latencyMs.p99, 2)} | ${fmt(n?.latencyMs.p99, 2)} | ${fmt(p.peakRssMb, 1)} | ${fmt(cpuPerEvent(p))} | ${fmt(n && cpuPerEvent(n))} | ${fmt(f && cpuPerEvent(f))} | ${fmt(p.issueListMs?.p95, 1)} |`);
  }
  lines.push('');
  lines.push(`Peak RSS (VmHWM): ${fmt(ours.steadyHwmMb, 1)} MB through the steady phase, ${fmt(ours.hwmMb, 1)} MB by the end (no-op: ${fmt(noop.hwmMb, 1)} MB). ` +
    `Database: ${result.db.events} events in ${result.db.issues} issues, ${fmt(result.db.databaseBytes / 1048576, 1)} MB, ` +
    `${result.db.bytesPerEvent} bytes/event (compressed payload ${result.db.payloadBytesPerEvent} B of ${result.fixtureMeanBytes} B sent); ` +
    `${ours.acknowledged} acknowledged, ${result.db.issueCountSum} counted on issues, ${result.db.events} payloads kept ` +
    `(retention keeps at most 1,000 per issue by default and samples the rest away in the background), integrity \`${result.db.integrity}\`.`);
  if (result.large) {
    const l = result.large;
    lines.push('', `Large data: ${l.issues} issues / ${l.events} events (${fmt(l.databaseBytes / 1048576, 0)} MB, populated in ${fmt(l.populateSeconds, 0)} s through the real writer): ` +
      `GET /api/issues p50 ${fmt(l.listMs.p50, 1)} ms, p95 ${fmt(l.listMs.p95, 1)} ms; sorted by count p95 ${fmt(l.countSortMs.p95, 1)} ms; with a text query p95 ${fmt(l.searchMs.p95, 1)} ms; server start ${fmt(l.startSeconds, 1)} s.`);
  }
  lines.push('', 'Targets:');
  for (const check of evaluation.checks) lines.push(`- ${check.met ? 'met' : '**not met**'}: ${check.target} — ${check.value}`);
  lines.push('', comparison(result, previous));
  const data = {
    kind: 'ingest',
    fixtureSet: result.fixtureSet,
    date: m.date,
    commit: m.commit,
    best: Math.round(evaluation.best),
    bestRatio: ratioOfBest(result),
    p99Gap: Math.round(evaluation.p99Gap * 100) / 100,
    steadyHwmMb: ours.steadyHwmMb,
    hwmMb: ours.hwmMb,
    bytesPerEvent: result.db.bytesPerEvent,
    listP95: evaluation.listP95,
    cpuUsPerEvent: Math.round(Math.min(...ours.phases.map((p) => cpuPerEvent(p) ?? Infinity))),
  };
  lines.push('', `<!-- bench-data ${JSON.stringify(data)} -->`, '');
  return lines.join('\n');
}

function ratioOfBest(result) {
  let best = null;
  for (const p of result.stacktray.phases.filter((x) => x.mode === 'closed')) {
    const n = phase(result.noop, p.name);
    if (n?.eventsPerSecond && (best === null || p.eventsPerSecond > best.eps)) best = { eps: p.eventsPerSecond, ratio: p.eventsPerSecond / n.eventsPerSecond };
  }
  return best ? Math.round(best.ratio * 1000) / 1000 : null;
}

function comparison(result, previous) {
  if (!previous) return 'Previous entry: none for this fixture set.';
  const evaluation = evaluate(result);
  const ratio = ratioOfBest(result);
  const delta = (now, before, unit, digits = 0) => `${fmt(before, digits)} → ${fmt(now, digits)}${unit}`;
  return `Against the previous entry (${previous.date.slice(0, 16).replace('T', ' ')}, ${previous.commit}): best throughput ${delta(evaluation.best, previous.best, ' events/s')}, ` +
    `ratio to the no-op ceiling ${delta(ratio, previous.bestRatio, '', 3)}, p99 gap at the steady rate ${delta(evaluation.p99Gap, previous.p99Gap, ' ms', 2)}, ` +
    `steady peak RSS ${delta(result.stacktray.steadyHwmMb, previous.steadyHwmMb, ' MB', 1)}, server CPU per event ${delta(Math.min(...result.stacktray.phases.map((p) => cpuPerEvent(p) ?? Infinity)), previous.cpuUsPerEvent, ' µs')}, bytes/event ${delta(result.db.bytesPerEvent, previous.bytesPerEvent, '')}.`;
}
