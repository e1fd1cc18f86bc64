// What moving an event's CPU-heavy steps off the ingest thread could give (issue 14's direction
// "parse/normalize/group/compress on a worker thread"), measured on the real modules before
// anyone builds it into the server. The steps that would move: envelope parse, JSON.parse +
// normalize, grouping, payload encoding against the group's reference, and the issue aggregates
// (tags, user, search text). Three figures, in CPU µs per event:
//   - in-thread: those steps on the ingest thread, as the server runs them today;
//   - hand-off:  what the ingest thread would still spend: posting the raw envelope bytes to a
//                worker and reading back a compact row of what the writer needs (batches of
//                --batch, two batches in flight so the worker never waits);
//   - worker:    what the worker spends per event (its capacity: 1e6 / that, events/s).
// and the memory a worker with the pipeline loaded adds to the process (RssAnon, after use).
// Source maps and the git release step read files and keep caches on the ingest thread; they are
// not moved here, and would have to be for a real split.
//   node scripts/bench/worker-handoff.mjs [--fixtures wire|bench] [--load hot|storm|mix] [--batch 8] [--events 12000]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { fixtureSetNames, loadFixtures } from './fixtures.mjs';
import { HARNESS_BUNDLE, loadHarness } from './build-harness.mjs';
import { SERVER_NODE_FLAGS, serverEnv } from './server-flags.mjs';

const { values } = parseArgs({
  options: { fixtures: { type: 'string' }, load: { type: 'string' }, batch: { type: 'string' }, events: { type: 'string' }, 'worker-memory': { type: 'boolean' } },
});
const fixtureSet = values.fixtures ?? fixtureSetNames()[0];
const load = values.load ?? 'hot';
const batchSize = Number(values.batch ?? 8);
const events = Number(values.events ?? 12_000);
// --worker-memory: run in a child of its own that never loaded Vite, so its resident memory
// before and after starting the worker differs by the worker alone.
const memoryOnly = values['worker-memory'] === true;

const h = memoryOnly ? createRequire(import.meta.url)(HARNESS_BUNDLE) : await loadHarness();
const fixtures = loadFixtures(fixtureSet, load);

/** CPU µs of one thread so far (utime + stime; clock ticks of 10 ms, so time thousands of events). */
function threadCpuUs(tid) {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
const rssAnonMb = () => Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;

let counter = 0;
/** The next request body: a fixture with a fresh event id, as the load generator sends it. */
function nextBody() {
  const fixture = fixtures[counter % fixtures.length];
  const body = Buffer.from(fixture.body);
  const id = (counter++).toString(16).padStart(32, 'a');
  for (const at of fixture.idOffsets) body.write(id, at, 'latin1');
  return body;
}

// The steps that would move, written once for both sides (the worker gets this function's source).
function prepareEnvelope(h, body, references) {
  const items = h.readEnvelopeItems(h.parseEnvelope(body), { receivedAt: Date.now() / 1000, maxEventBytes: 1 << 20, clientIp: '127.0.0.1' });
  return items.events.map(({ event, payload }) => {
    const { variants: _variants, ...grouping } = h.groupEvent(event);
    const hash = grouping.hashes[0] ?? '';
    const reference = references.get(hash) ?? null;
    if (!reference) references.set(hash, { id: references.size + 1, data: h.referenceBytes(payload) });
    return { event, grouping, payload: h.encodePayload(payload, reference), tags: h.aggregatedTags(event), userKey: h.userKey(event), searchText: h.issueSearchText(event) };
  });
}

function startWorker() {
  return new Worker(
    `const { parentPort } = require('node:worker_threads');
     const h = require(${JSON.stringify(HARNESS_BUNDLE)});
     const prepareEnvelope = ${prepareEnvelope.toString()};
     const references = new Map();
     parentPort.postMessage(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
     parentPort.on('message', (bodies) => {
       const rows = [];
       for (const bytes of bodies) {
         for (const p of prepareEnvelope(h, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), references)) {
           const e = p.event, g = p.grouping;
           // What the writer reads of an event, flat: structured clone of a few strings is cheap.
           rows.push([e.event_id, e.timestamp, e.received, e.release ?? null, e.environment ?? null, e.level, e.platform, e.user?.ip_address ?? null,
             g.hashes, g.title, g.culprit, JSON.stringify(g.metadata), g.config, p.payload, p.tags, p.userKey, p.searchText]);
         }
       }
       parentPort.postMessage(rows);
     });`,
    { eval: true },
  );
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

if (memoryOnly) {
  // The main thread's own share first (the bodies it makes grow its young generation), so that
  // only the worker differs between the two readings.
  for (let i = 0; i < events; i++) nextBody();
  collectGarbage();
  const before = rssAnonMb();
  const worker = startWorker();
  await new Promise((resolve) => worker.once('message', resolve));
  for (let sent = 0; sent < events; sent += batchSize) {
    await new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(Array.from({ length: batchSize }, nextBody));
    });
  }
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log(JSON.stringify({ before, withWorker: rssAnonMb() }));
  await worker.terminate();
  process.exit(0);
}

// In-thread, after a warm-up.
const inThreadReferences = new Map();
for (let i = 0; i < 2_000; i++) prepareEnvelope(h, nextBody(), inThreadReferences);
let started = threadCpuUs(process.pid);
for (let i = 0; i < events; i++) prepareEnvelope(h, nextBody(), inThreadReferences);
const inThreadWithBodies = (threadCpuUs(process.pid) - started) / events;
started = threadCpuUs(process.pid);
for (let i = 0; i < events; i++) nextBody();
const bodyUs = (threadCpuUs(process.pid) - started) / events;

// Hand-off to one worker.
const worker = startWorker();
const workerTid = await new Promise((resolve) => worker.once('message', resolve));
const waiting = [];
worker.on('message', (rows) => waiting.shift()(rows));
const post = () => new Promise((resolve) => {
  waiting.push(resolve);
  worker.postMessage(Array.from({ length: batchSize }, nextBody));
});
async function handOff(count) {
  const inFlight = [];
  for (let sent = 0; sent < count; sent += batchSize) {
    inFlight.push(post());
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
}
await handOff(2_000);
started = threadCpuUs(process.pid);
const workerStarted = threadCpuUs(workerTid);
await handOff(events);
const handOffWithBodies = (threadCpuUs(process.pid) - started) / events;
const workerUs = (threadCpuUs(workerTid) - workerStarted) / events;
await worker.terminate();
const child = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, fileURLToPath(import.meta.url), '--worker-memory', '--fixtures', fixtureSet, '--load', load, '--batch', String(batchSize), '--events', '4000'], { encoding: 'utf8', env: serverEnv() });
if (child.status !== 0) throw new Error(`worker memory child failed: ${child.stderr}`);
const memory = JSON.parse(child.stdout.trim().split('\n').pop());

const inThread = inThreadWithBodies - bodyUs;
const handOffUs = handOffWithBodies - bodyUs;
const report = {
  fixtureSet, load, batch: batchSize, events,
  inThreadUs: Math.round(inThread), handOffUs: Math.round(handOffUs), savedOnIngestThreadUs: Math.round(inThread - handOffUs),
  workerUs: Math.round(workerUs), workerCapacityPerSecond: Math.round(1e6 / workerUs),
  // A process of its own with the harness loaded, before the worker and after 4,000 events through it.
  processAnonMb: { before: Number(memory.before.toFixed(1)), withWorker: Number(memory.withWorker.toFixed(1)) },
  workerAnonMb: Number((memory.withWorker - memory.before).toFixed(1)),
};
console.log(JSON.stringify(report));
