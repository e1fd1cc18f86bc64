// The load generator, run as its own process so it never shares an event loop with the server:
// replays real envelopes over keep-alive HTTP with a unique event_id per request, either closed
// loop (N connections, back to back) or open loop at a fixed rate. Prints one JSON result line.
//   node scripts/bench/loadgen.mjs '<json config>'
import { Agent, request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadFixtures } from './fixtures.mjs';
import { summarize } from './stats.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
// { port, path, fixtureSet, mode: 'closed'|'rate', connections, rate, durationMs, ackedIdsFile? }
const fixtures = loadFixtures(config.fixtureSet);
const prefix = randomBytes(4).toString('hex');
let counter = 0;
let cursor = 0;

const agent = new Agent({ keepAlive: true, maxSockets: config.mode === 'rate' ? 256 : config.connections });
const latencies = [];
const statuses = {};
let sent = 0;
let acknowledged = 0;
let failures = 0;
let ackedIds = [];

function nextBody() {
  const fixture = fixtures[cursor++ % fixtures.length];
  const id = prefix + (counter++).toString(16).padStart(24, '0');
  const body = Buffer.from(fixture.body);
  for (const at of fixture.idOffsets) body.write(id, at, 'latin1');
  return { body, id };
}

function send() {
  const { body, id } = nextBody();
  sent++;
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        agent,
        host: '127.0.0.1',
        port: config.port,
        method: 'POST',
        path: config.path,
        headers: { 'content-length': body.length, 'user-agent': 'sentry.javascript.node/11.12.0' },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - started);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          // Acknowledged = 200 naming our event, as an SDK would read it.
          if (res.statusCode === 200 && Buffer.concat(chunks).includes(id)) {
            acknowledged++;
            if (config.ackedIdsFile) ackedIds.push(id);
          }
          resolve();
        });
      },
    );
    req.on('error', () => {
      failures++;
      resolve();
    });
    req.end(body);
  });
}

async function closedLoop(started) {
  const end = started + config.durationMs;
  const worker = async () => {
    while (performance.now() < end) await send();
  };
  await Promise.all(Array.from({ length: config.connections }, worker));
}

/** Open loop: each request leaves at its scheduled time whatever the earlier ones are doing. */
function openLoop(started) {
  const interval = 1000 / config.rate;
  const end = started + config.durationMs;
  const inFlight = [];
  let next = started;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next <= now && next < end) {
        inFlight.push(send());
        next += interval;
      }
      if (next < end) setTimeout(tick, Math.max(0, next - performance.now()));
      else Promise.all(inFlight).then(resolve);
    };
    tick();
  });
}

const started = performance.now();
await (config.mode === 'rate' ? openLoop(started) : closedLoop(started));
const elapsedMs = performance.now() - started;
agent.destroy();
if (config.ackedIdsFile && ackedIds.length > 0) appendFileSync(config.ackedIdsFile, ackedIds.join('\n') + '\n');
process.stdout.write(
  JSON.stringify({
    mode: config.mode,
    connections: config.connections ?? null,
    targetRate: config.rate ?? null,
    sent,
    acknowledged,
    failures,
    statuses,
    elapsedMs,
    eventsPerSecond: acknowledged / (elapsedMs / 1000),
    latencyMs: summarize(latencies),
  }) + '\n',
);
