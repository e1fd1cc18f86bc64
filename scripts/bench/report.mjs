// Turns a bench result into a dated BENCHMARKS.md entry, compares it with the previous entry
// (read back from the JSON each entry embeds) and checks the targets of issue 14.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';

const DATA_MARK = /<!-- bench-data (\{.*\}) -->/g;

/** Issue 14's targets: closed-loop rates as ratios to the no-op measured in the same run. */
export const TARGETS = {
  hotRatio: 0.2,
  stormRatio: 0.15,
  p99OverNoopMs: 3,
  steadyRssMb: 80,
  idleRssMb: 60,
  issueListMs: 50,
  generatorCeiling: 25_000,
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
  return entries.filter((entry) => entry.kind === 'ingest-14' && entry.fixtureSet === fixtureSet).at(-1) ?? null;
}

const phase = (run, name) => run?.phases.find((p) => p.name === name);
const loadPhase = (run, load) => run?.phases.find((p) => p.mode === 'closed' && p.load === load);
const cpuPerEvent = (p) => (p?.acknowledged ? (p.serverCpuSeconds * 1e6) / p.acknowledged : null);
const fmt = (value, digits = 0) => (value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits));

/** Stacktray's events/s over the no-op's in the same run, for one closed-loop load. */
function loadRatio(result, load) {
  const ours = loadPhase(result.stacktray, load);
  const noop = loadPhase(result.noop, load);
  return ours && noop?.eventsPerSecond ? ours.eventsPerSecond / noop.eventsPerSecond : null;
}

export function evaluate(result) {
  const ours = result.stacktray;
  const steady = ours.phases.find((p) => p.mode === 'rate');
  const noopSteady = result.noop.phases.find((p) => p.mode === 'rate');
  const p99Gap = steady.latencyMs.p99 - noopSteady.latencyMs.p99;
  const steadyListP95 = steady.issueListMs?.p95 ?? null;
  const ceiling = Math.max(...result.noop.phases.filter((p) => p.mode === 'closed').map((p) => p.eventsPerSecond));
  const ratios = Object.fromEntries(['hot', 'storm', 'mix'].map((load) => [load, loadRatio(result, load)]));
  const db = result.db;
  const checks = [];
  const ratioCheck = (load, min, what) => {
    if (ratios[load] === null) return;
    const p = loadPhase(ours, load);
    checks.push({ target: `${what} ≥ ${min} of the no-op`, value: `${fmt(ratios[load], 3)} (${fmt(p.eventsPerSecond)} events/s)`, met: ratios[load] >= min });
  };
  ratioCheck('hot', TARGETS.hotRatio, 'one hot issue');
  ratioCheck('storm', TARGETS.stormRatio, 'a storm of 500 issues');
  checks.push(
    { target: `p99 at ${steady.targetRate}/s within ${TARGETS.p99OverNoopMs} ms of the no-op's`, value: `${fmt(steady.latencyMs.p99, 2)} vs ${fmt(noopSteady.latencyMs.p99, 2)} ms (+${fmt(p99Gap, 2)})`, met: p99Gap <= TARGETS.p99OverNoopMs },
    { target: `peak RSS of the server at ${steady.targetRate}/s ≤ ${TARGETS.steadyRssMb} MB`, value: `${fmt(ours.steadyHwmMb, 1)} MB`, met: ours.steadyHwmMb <= TARGETS.steadyRssMb },
    idleTarget(ours),
    { target: `issue list p95 at ${steady.targetRate}/s < ${TARGETS.issueListMs} ms`, value: `${fmt(steadyListP95, 1)} ms`, met: steadyListP95 !== null && steadyListP95 < TARGETS.issueListMs },
    { target: `load generator's ceiling (best no-op rate) ≥ ${TARGETS.generatorCeiling}/s`, value: `${fmt(ceiling)}/s${result.autocannon ? ` (autocannon, fixed body: ${fmt(result.autocannon.requestsPerSecond)}/s)` : ''}`, met: ceiling >= TARGETS.generatorCeiling },
    {
      // Closed-loop phases end with requests in flight that the server may still commit, so
      // stored events lie between the acknowledged and the sent; each acknowledged id is looked up.
      target: 'every acknowledged event stored (or evicted by retention) and counted',
      value: `${db.missingAcked ?? '?'} of ${ours.acknowledged} acknowledged missing; ${db.issueCountSum} counted of ${ours.sent} sent`,
      met: db.missingAcked === 0 && db.issueCountSum >= ours.acknowledged && db.issueCountSum <= ours.sent,
    },
  );
  if (result.large) {
    checks.push({
      target: `issue list at ${result.large.issues} issues / ${result.large.events} events < ${TARGETS.issueListMs} ms`,
      value: `p95 ${fmt(result.large.listMs.p95, 1)} ms`,
      met: result.large.listMs.p95 < TARGETS.issueListMs,
    });
  }
  return { ratios, p99Gap, steadyListP95, ceiling, checks };
}

export function formatEntry(result, previous) {
  const { stacktray: ours, noop, fastify } = result;
  const evaluation = evaluate(result);
  const m = result.machine;
  const lines = [];
  lines.push(`## ${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.commit} · ${m.cpu}, ${m.cores} cores, Node ${m.node}`, '');
  lines.push(
    `Load average (1 min) ${fmt(result.loadAverage.start, 2)} before the run, ${fmt(result.loadAverage.end, 2)} at its end. ` +
      `Fixtures: \`${result.fixtureSet}\` (${result.fixtureCount} real @sentry/node envelopes, mean ${result.fixtureMeanBytes} B). ` +
      `Server flags: \`${result.serverFlags.join(' ') || '(none)'}\`${serverEnvironment(result.serverEnv)}. Phases: ${result.plan.rateMs / 1000} s at ${result.plan.rate}/s (the mix) after a ${result.plan.warmupMs / 1000} s warm-up, ` +
      `then ${result.plan.closedMs / 1000} s of each load at ${result.plan.connections} connections. ` +
      'No-op: plain node:http reading the body and answering 200 (the ceiling); Fastify no-op: the same through a bare Fastify route.',
    '',
  );
  lines.push('| phase | Stacktray events/s | no-op events/s | ratio | Fastify no-op events/s | p50 ms | p95 ms | p99 ms | no-op p99 ms | peak RSS MB | server CPU µs/event | no-op CPU µs/event | loadgen CPU µs/request | issue list p95 ms |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of ours.phases) {
    const n = phase(noop, p.name);
    const f = phase(fastify, p.name);
    const ratio = n && n.eventsPerSecond ? p.eventsPerSecond / n.eventsPerSecond : null;
    const loadgenCpu = n?.sent ? (n.loadgenCpuSeconds * 1e6) / n.sent : null;
    lines.push(`| ${p.name} | ${fmt(p.eventsPerSecond)} | ${fmt(n?.eventsPerSecond)} | ${fmt(ratio, 3)} | ${fmt(f?.eventsPerSecond)} | ${fmt(p.latencyMs.p50, 2)} | ${fmt(p.latencyMs.p95, 2)} | ${fmt(p.latencyMs.p99, 2)} | ${fmt(n?.latencyMs.p99, 2)} | ${fmt(p.peakRssMb, 1)} | ${fmt(cpuPerEvent(p))} | ${fmt(cpuPerEvent(n))} | ${fmt(loadgenCpu)} | ${fmt(p.issueListMs?.p95, 1)} |`);
  }
  lines.push('');
  const mem = (at) => `${fmt(at.rss, 1)} MB (anonymous ${fmt(at.anon, 1)}, file-backed ${fmt(at.file, 1)})`;
  lines.push(
    `Server RSS: idle right after start ${mem(ours.idle)}` +
      (ours.idleQuiet ? `; idle after ${fmt(ours.quietMs / 1000)} s with no requests ${mem(ours.idleQuiet)}` : '') +
      `; after the steady phase ${mem(ours.steady)}; peak (VmHWM) ${fmt(ours.steadyHwmMb, 1)} MB through the steady phase, ` +
      `${fmt(ours.hwmMb, 1)} MB by the end (no-op: ${fmt(noop.hwmMb, 1)} MB). ` +
      `Database: ${result.db.events} events in ${result.db.issues} issues, ${fmt(result.db.databaseBytes / 1048576, 1)} MB, ` +
      `${result.db.bytesPerEvent} bytes/event (compressed payload ${result.db.payloadBytesPerEvent} B of ${result.fixtureMeanBytes} B sent); ` +
      `${ours.acknowledged} acknowledged of ${ours.sent} sent, ${result.db.issueCountSum} counted on issues, ${result.db.evicted} payloads evicted by retention (at most 1,000 kept per issue), integrity \`${result.db.integrity}\`.`,
  );
  if (result.large) {
    const l = result.large;
    lines.push('', `Large data: ${l.issues} issues / ${l.events} events (${fmt(l.databaseBytes / 1048576, 0)} MB, populated in ${fmt(l.populateSeconds, 0)} s through the real writer): ` +
      `GET /api/issues p50 ${fmt(l.listMs.p50, 1)} ms, p95 ${fmt(l.listMs.p95, 1)} ms; sorted by count p95 ${fmt(l.countSortMs.p95, 1)} ms; with a text query p95 ${fmt(l.searchMs.p95, 1)} ms; server start ${fmt(l.startSeconds, 1)} s.`);
  }
  lines.push('', 'Targets:');
  for (const check of evaluation.checks) lines.push(`- ${check.met ? 'met' : '**not met**'}: ${check.target} — ${check.value}`);
  const steady = ours.phases.find((p) => p.mode === 'rate');
  const data = {
    kind: 'ingest-14',
    fixtureSet: result.fixtureSet,
    date: m.date,
    commit: m.commit,
    loadAverage: result.loadAverage.start,
    ceiling: Math.round(evaluation.ceiling),
    hotRatio: round3(evaluation.ratios.hot),
    stormRatio: round3(evaluation.ratios.storm),
    mixRatio: round3(evaluation.ratios.mix),
    hotCpuUs: Math.round(cpuPerEvent(loadPhase(ours, 'hot')) ?? 0) || null,
    p99Gap: Math.round(evaluation.p99Gap * 100) / 100,
    steadyCpuUs: Math.round(cpuPerEvent(steady)),
    idleRssMb: ours.idle.rss,
    idleQuietRssMb: ours.idleQuiet?.rss ?? null,
    steadyHwmMb: ours.steadyHwmMb,
    hwmMb: ours.hwmMb,
    listP95: evaluation.steadyListP95,
  };
  lines.push('', comparison(data, previous));
  lines.push('', `<!-- bench-data ${JSON.stringify(data)} -->`, '');
  return lines.join('\n');
}

/** Idle means quiet: read after the server sat with no requests when the run did that, else right after start. */
function idleTarget(ours) {
  const at = ours.idleQuiet ?? ours.idle;
  const when = ours.idleQuiet ? `after ${fmt(ours.quietMs / 1000)} s with no requests` : 'right after start';
  return { target: `idle RSS (${when}) ≤ ${TARGETS.idleRssMb} MB`, value: `${fmt(at.rss, 1)} MB (right after start ${fmt(ours.idle.rss, 1)} MB)`, met: at.rss <= TARGETS.idleRssMb };
}

function round3(value) {
  return value === null ? null : Math.round(value * 1000) / 1000;
}

function comparison(now, previous) {
  if (!previous) return 'Previous entry: none for this fixture set in this format.';
  const delta = (key, unit = '', digits = 0) => `${fmt(previous[key], digits)} → ${fmt(now[key], digits)}${unit}`;
  return `Against the previous entry (${previous.date.slice(0, 16).replace('T', ' ')}, ${previous.commit}, load ${fmt(previous.loadAverage, 2)}): ` +
    `hot ${delta('hotRatio', '', 3)}, storm ${delta('stormRatio', '', 3)}, mix ${delta('mixRatio', '', 3)} of the no-op; ` +
    `CPU per hot event ${delta('hotCpuUs', ' µs')}; p99 gap at 400/s ${delta('p99Gap', ' ms', 2)}; ` +
    `RSS idle ${delta('idleRssMb', ' MB', 1)}, peak at 400/s ${delta('steadyHwmMb', ' MB', 1)}; generator ceiling ${delta('ceiling', '/s')}.`;
}

/** The server environment's variables (server-flags.mjs) as the server started with them, if any. */
function serverEnvironment(env) {
  const set = Object.entries(env ?? {}).map(([name, value]) => `${name}=${value}`);
  return set.length > 0 ? `, environment \`${set.join(' ')}\`` : '';
}
