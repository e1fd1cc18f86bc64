// `npm run bench`: the ingest benchmark of issues 6 and 14. Starts the real headless server (and
// a no-op node:http server, the machine's ceiling) as child processes, drives each with a
// separate load-generator process replaying real @sentry/node envelopes (one hot issue, a storm
// of 500 issues, the captured mix), and appends a dated entry to BENCHMARKS.md. See
// BENCHMARKS.md for what each figure means.
//   node scripts/bench.mjs [--fixtures wire|bench] [--large] [--no-record] [--smoke] [--json <file>]
//                          [--no-build] [--server-flags '<node flags>'] [--loads hot,storm,mix]
//                          [--short] [--no-fastify]
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOADS, fixtureSetNames, loadFixtures, meanSize } from './bench/fixtures.mjs';
import { startServer } from './bench/server-process.mjs';
import { ensureBuilt, requireBuilt } from './server-launch.mjs';
import { runPhases } from './bench/phases.mjs';
import { autocannonReference } from './bench/autocannon-reference.mjs';
import { databaseStats } from './bench/db-stats.mjs';
import { evaluate, formatEntry, machine, previousEntry } from './bench/report.mjs';
import { SERVER_ENV, SERVER_NODE_FLAGS, serverEnv, serverProcessFlags } from './bench/server-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHMARKS = join(root, 'BENCHMARKS.md');

const { values: args } = parseArgs({
  options: {
    fixtures: { type: 'string' },
    large: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    json: { type: 'string' },
    'server-flags': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    loads: { type: 'string' },
    short: { type: 'boolean', default: false },
    'no-fastify': { type: 'boolean', default: false },
  },
});

const fixtureSet = args.fixtures ?? fixtureSetNames()[0];
const fixtures = loadFixtures(fixtureSet);
// --smoke: a few seconds, for `npm test`; it checks the bench works, not how fast anything is.
const loads = args.loads ? args.loads.split(',') : LOADS;
for (const load of loads) if (!LOADS.includes(load)) throw new Error(`unknown load "${load}" (one of ${LOADS.join(', ')})`);
const plan = args.smoke
  ? { fixtureSet, rate: 100, warmupMs: 300, rateMs: 700, loads, connections: 10, closedMs: 600, probe: true }
  : args.short
    ? { fixtureSet, rate: 400, warmupMs: 3000, rateMs: 8_000, loads, connections: 10, closedMs: 5_000, probe: true }
    : { fixtureSet, rate: 400, warmupMs: 3000, rateMs: 15_000, loads, connections: 10, closedMs: 10_000, probe: true };
const serverFlags = args['server-flags'] !== undefined ? args['server-flags'].split(' ').filter(Boolean) : serverProcessFlags(SERVER_NODE_FLAGS);

// How long the server sits with no requests before its idle memory is read a second time.
const QUIET_MS = 12_000;

const loadAtStart = loadavg();
const work = mkdtempSync(join(tmpdir(), 'stacktray-bench-'));
try {
  if (args['no-build']) requireBuilt();
  // Quiet: the build's progress stays off stdout, which carries the report.
  else if (ensureBuilt({ quiet: true })) console.error('built the bundle (electron-vite build)');
  const log = (line) => console.error(`[bench] ${line}`);
  log(`fixtures ${fixtureSet}: ${fixtures.length} envelopes, mean ${meanSize(fixtures)} B`);

  log('no-op server…');
  const noopServer = await startServer({ kind: 'noop' });
  const noop = await runPhases(noopServer, plan);
  // The generator's ceiling, seen by another client (skipped by --smoke: it checks no speed).
  const autocannon = args.smoke
    ? null
    : await autocannonReference({ port: noopServer.port, path: '/api/1/envelope/', fixtureSet, connections: plan.connections, durationMs: 5000, work });
  await noopServer.stop();
  if (autocannon) log(`  autocannon against the no-op: ${Math.round(autocannon.requestsPerSecond)} requests/s`);
  for (const p of noop.phases) log(`  no-op ${p.name}: ${Math.round(p.eventsPerSecond)} events/s, p99 ${p.latencyMs.p99} ms`);

  let fastify = null;
  if (!args['no-fastify']) {
    log('Fastify no-op server…');
    const fastifyServer = await startServer({ kind: 'fastify-noop' });
    fastify = await runPhases(fastifyServer, { ...plan, probe: false });
    await fastifyServer.stop();
    for (const p of fastify.phases) log(`  Fastify no-op ${p.name}: ${Math.round(p.eventsPerSecond)} events/s, p99 ${p.latencyMs.p99} ms`);
  }

  log(`Stacktray (node ${serverFlags.join(' ')})…`);
  const dataDir = join(work, 'data');
  const ackedIdsFile = join(work, 'acked-ids.txt');
  const server = await startServer({ kind: 'stacktray', dataDir, nodeFlags: serverFlags });
  // Only Stacktray sits quiet first: the no-ops' idle memory is not a figure the report uses.
  const stacktray = await runPhases(server, { ...plan, ackedIdsFile, quietMs: args.smoke ? 0 : QUIET_MS });
  await server.stop();
  for (const p of stacktray.phases) log(`  Stacktray ${p.name}: ${Math.round(p.eventsPerSecond)} events/s, p99 ${p.latencyMs.p99} ms, RSS ${p.peakRssMb} MB`);
  log(`  Stacktray idle RSS ${stacktray.idle.rss} MB, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const db = databaseStats(dataDir, ackedIdsFile);

  let large = null;
  if (args.large) {
    const { measureLargeData } = await import('./bench/large-data.mjs');
    large = await measureLargeData({ work, serverFlags, log });
  }

  const result = {
    machine: machine(),
    // 1-minute load average before the run (other users of the machine) and after (with ours).
    loadAverage: { start: round2(loadAtStart[0]), end: round2(loadavg()[0]) },
    fixtureSet,
    fixtureCount: fixtures.length,
    fixtureMeanBytes: meanSize(fixtures),
    serverFlags,
    // The server environment's variables as spawnServer (server-launch.mjs) starts the server with them.
    serverEnv: Object.fromEntries(Object.keys(SERVER_ENV).map((name) => [name, serverEnv()[name]])),
    plan,
    noop,
    fastify,
    autocannon,
    stacktray,
    db,
    large,
  };
  const evaluation = evaluate(result);
  const entry = formatEntry(result, previousEntry(BENCHMARKS, fixtureSet));
  console.log(entry);
  if (args.json) writeFileSync(args.json, JSON.stringify({ ...result, evaluation }, null, 2));
  if (!args.smoke && !args['no-record']) {
    if (!existsSync(BENCHMARKS)) writeFileSync(BENCHMARKS, '# Benchmarks\n\n');
    appendFileSync(BENCHMARKS, `\n${entry}`);
    log('appended to BENCHMARKS.md');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function round2(value) {
  return Math.round(value * 100) / 100;
}
