// `npm run bench:sourcemaps`: how fast events resolve through source maps with a warm cache, and
// what the symbolicate hook costs events that need no map. Drives the real headless server (and
// the no-op node:http server, the load generator's ceiling) with one real @sentry/node event from
// the esbuild-minified fixture app, sent again and again with new event ids.
//   node scripts/bench/sourcemaps.mjs [--events N] [--record]
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFixtureApp } from '../../test/fixtures/sourcemaps/build-app.mjs';
import { ROOT, requireBuilt } from '../server-launch.mjs';
import { startServer } from './server-process.mjs';
import { cpuSeconds } from './proc-sampler.mjs';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '3000' }, record: { type: 'boolean', default: false } } });
const EVENTS = Number(args.events);
const CONNECTIONS = 10;

requireBuilt();
const work = realpathSync(mkdtempSync(join(tmpdir(), 'stacktray-bench-maps-')));
const servers = [];
try {
  const app = await buildFixtureApp(join(work, 'app'));
  const server = await startServer({ kind: 'stacktray', dataDir: join(work, 'data') });
  servers.push(server);
  const base = `http://127.0.0.1:${server.port}`;
  await fetch(`${base}/api/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sourceFolders: [work] }) });
  execFileSync(process.execPath, [join(ROOT, 'test/fixtures/sourcemaps/run-bundle.cjs')], {
    env: { ...process.env, DSN: `http://${server.key}@127.0.0.1:${server.port}/1`, BUNDLE: app.bundle },
  });
  const issues = await (await fetch(`${base}/api/issues`)).json();
  const stored = await (await fetch(`${base}/api/issues/${issues.issues[0].id}/events/latest`)).json();
  // The event as the SDK sent it: the stored payload keeps those frames in raw_stacktrace.
  const sent = structuredClone(stored.raw);
  delete sent.errors;
  for (const value of sent.exception.values) {
    value.stacktrace = value.raw_stacktrace;
    delete value.raw_stacktrace;
  }
  const noMap = structuredClone(sent);
  for (const value of noMap.exception.values) {
    for (const frame of value.stacktrace.frames) if (frame.filename === app.bundle) frame.filename = join(work, 'app/src/plain.js');
  }

  const noop = await startServer({ kind: 'noop' });
  servers.push(noop);
  const ceiling = await drive(`http://127.0.0.1:${noop.port}`, noop.key, sent, noop.pid);
  // Each phase twice, alternating, the first pair only warming the server up (JIT, caches, the database).
  await drive(base, server.key, noMap, server.pid);
  await drive(base, server.key, sent, server.pid);
  const plain = await drive(base, server.key, noMap, server.pid);
  const resolved = await drive(base, server.key, sent, server.pid);
  const check = await (await fetch(`${base}/api/issues/${issues.issues[0].id}/events/latest`)).json();
  const frame = check.event.exception.values[0].stacktrace.frames.at(-1);
  if (frame.function !== 'applyDiscount' || frame.data?.resolved_with !== 'file') throw new Error(`the last event did not resolve: ${JSON.stringify(frame)}`);

  const rows = [
    ['no-op server (load generator ceiling)', ceiling],
    ['Stacktray, minified frames resolved (warm cache)', resolved],
    ['Stacktray, same event, frames without a map', plain],
  ];
  const lines = [
    '',
    `## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · source maps · ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
    '',
    `One real @sentry/node event (${Buffer.byteLength(JSON.stringify(sent))} B, ${sent.exception.values[0].stacktrace.frames.length} frames, 3 in the esbuild-minified fixture bundle with a linked map on disk) sent ${EVENTS} times with new event ids over ${CONNECTIONS} connections, after a 200-event warm-up; each Stacktray phase ran once before to warm the server up.`,
    '',
    '| server | events/s | ratio to no-op | p50 ms | p99 ms | server CPU µs/event |',
    '|---|---|---|---|---|---|',
    ...rows.map(([name, r]) => `| ${name} | ${Math.round(r.perSecond)} | ${(r.perSecond / ceiling.perSecond).toFixed(2)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${Math.round(r.cpuUs)} |`),
    '',
    'Server CPU per event is the steadier figure on a shared machine: it does not depend on how much CPU the load generator and other processes leave the server.',
    '',
  ];
  console.log(lines.join('\n'));
  if (args.record) appendFileSync(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
} finally {
  for (const server of servers) await server.stop();
  rmSync(work, { recursive: true, force: true });
}

async function drive(base, key, payload, pid) {
  const url = `${base}/api/1/envelope/?sentry_key=${key}&sentry_version=7`;
  const send = async () => {
    const event = { ...payload, event_id: crypto.randomUUID().replaceAll('-', '') };
    const body = `{}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n`;
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', body });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return performance.now() - started;
  };
  const run = async (count) => {
    const latencies = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < count) {
          next += 1;
          latencies.push(await send());
        }
      }),
    );
    return latencies;
  };
  await run(200);
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const latencies = (await run(EVENTS)).sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  const cpuUs = ((cpuSeconds(pid) - cpuBefore) * 1e6) / EVENTS;
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: EVENTS / seconds, p50: at(0.5), p99: at(0.99), cpuUs };
}
