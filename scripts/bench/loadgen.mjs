// The load generator, run as its own process so it never shares an event loop with the server.
// Replays real envelopes over keep-alive connections with a unique event_id per request, either
// closed loop (N connections, back to back) or open loop at a fixed rate. Prints one JSON line.
//   node scripts/bench/loadgen.mjs '<json config>'
//
// Hand-written on node:net rather than node:http or autocannon, because the generator must cost
// far less than the server it measures (issue 14): every request's bytes (request line, headers,
// body) are built once per fixture; a request is one memcpy into the connection's own buffer, the
// fresh id written over the old one, and one socket write. Replies are read just far enough to
// get the status and check that the body names the id (acknowledged = what an SDK would accept).
// node:http's client costs ~100 µs of CPU a request (5–6k/s ceiling here); autocannon rebuilds
// each request from an options object when the body changes, and stops with requests in flight,
// so the stored events could not be matched to the acknowledged ones.
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadFixtures } from './fixtures.mjs';
import { summarize } from './stats.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
// { port, path, fixtureSet, load, mode: 'closed'|'rate', connections, rate, durationMs, ackedIdsFile? }
const prefix = randomBytes(4).toString('hex');
const ID_LENGTH = 32;
const requests = loadFixtures(config.fixtureSet, config.load).map((fixture) => {
  const head = Buffer.from(
    `POST ${config.path} HTTP/1.1\r\nHost: 127.0.0.1:${config.port}\r\nUser-Agent: sentry.javascript.node/11.12.0\r\n` +
      `Content-Type: application/x-sentry-envelope\r\nContent-Length: ${fixture.body.length}\r\n\r\n`,
    'latin1',
  );
  return { bytes: Buffer.concat([head, fixture.body]), idOffsets: fixture.idOffsets.map((at) => head.length + at) };
});
const largest = Math.max(...requests.map((r) => r.bytes.length));

let counter = 0;
let cursor = 0;
let sent = 0;
let acknowledged = 0;
let failures = 0;
const latencies = [];
const statuses = {};
const ackedIds = [];

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection with at most one request in flight. */
class Connection {
  constructor(onIdle) {
    this.onIdle = onIdle;
    this.scratch = Buffer.allocUnsafe(largest);
    this.inbox = null;
    this.pending = null;
    this.open();
  }

  open() {
    this.socket = connect(config.port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk) => this.read(chunk));
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      if (this.pending) this.fail();
      if (!this.closing) this.open();
    });
  }

  /** `scheduledAt`: when an open loop sent it off (it may have waited for a free connection). */
  send(scheduledAt = performance.now()) {
    const request = requests[cursor++ % requests.length];
    const id = prefix + (counter++).toString(16).padStart(ID_LENGTH - prefix.length, '0');
    request.bytes.copy(this.scratch);
    for (const at of request.idOffsets) this.scratch.write(id, at, 'latin1');
    this.pending = { id, started: scheduledAt };
    sent++;
    this.socket.write(this.scratch.subarray(0, request.bytes.length));
  }

  read(chunk) {
    const data = this.inbox ? Buffer.concat([this.inbox, chunk]) : chunk;
    this.inbox = data;
    const headerEnd = data.indexOf(HEADER_END);
    if (headerEnd === -1) return;
    const head = data.latin1Slice(0, headerEnd);
    const declared = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    // Every server the bench drives answers with a Content-Length; anything else is a bench bug.
    if (declared === undefined) throw new Error(`reply without Content-Length: ${head}`);
    const length = Number(declared);
    const end = headerEnd + 4 + length;
    if (data.length < end) return;
    this.inbox = data.length > end ? data.subarray(end) : null;
    const status = Number(head.slice(9, 12));
    const { id, started } = this.pending;
    this.pending = null;
    latencies.push(performance.now() - started);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 200 && data.latin1Slice(headerEnd + 4, end).includes(id)) {
      acknowledged++;
      if (config.ackedIdsFile) ackedIds.push(id);
    }
    this.onIdle(this);
  }

  fail() {
    this.pending = null;
    this.inbox = null;
    failures++;
    this.onIdle(this);
  }

  close() {
    this.closing = true;
    this.socket.end();
  }
}

/** Closed loop: each connection sends its next request as soon as the last one is answered. */
function closedLoop(started) {
  const end = started + config.durationMs;
  return new Promise((resolve) => {
    let open = config.connections;
    const onIdle = (connection) => {
      if (performance.now() < end) return connection.send();
      connection.close();
      if (--open === 0) resolve();
    };
    for (let i = 0; i < config.connections; i++) new Connection(onIdle).send();
  });
}

/**
 * Open loop: each request leaves at its scheduled time whatever the earlier ones are doing, on
 * an idle connection or a new one, up to MAX_OPEN_CONNECTIONS (the server takes 1,024); past
 * that it waits for a free connection, and its latency counts from when it was sent off.
 */
const MAX_OPEN_CONNECTIONS = 256;

function openLoop(started) {
  const interval = 1000 / config.rate;
  const end = started + config.durationMs;
  const idle = [];
  const all = [];
  const queued = [];
  let inFlight = 0;
  let next = started;
  return new Promise((resolve) => {
    const onIdle = (connection) => {
      inFlight--;
      const scheduledAt = queued.shift();
      if (scheduledAt !== undefined) {
        inFlight++;
        return connection.send(scheduledAt);
      }
      idle.push(connection);
      if (next >= end && inFlight === 0) finish();
    };
    const finish = () => {
      for (const connection of all) connection.close();
      resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (next <= now && next < end) {
        let connection = idle.pop();
        if (!connection && all.length < MAX_OPEN_CONNECTIONS) all.push((connection = new Connection(onIdle)));
        if (connection) {
          inFlight++;
          connection.send();
        } else queued.push(performance.now());
        next += interval;
      }
      if (next < end) setTimeout(tick, Math.max(0, next - performance.now()));
      else if (inFlight === 0) finish();
    };
    tick();
  });
}

const started = performance.now();
await (config.mode === 'rate' ? openLoop(started) : closedLoop(started));
const elapsedMs = performance.now() - started;
if (config.ackedIdsFile && ackedIds.length > 0) appendFileSync(config.ackedIdsFile, ackedIds.join('\n') + '\n');
process.stdout.write(
  JSON.stringify({
    mode: config.mode,
    load: config.load ?? 'mix',
    connections: config.connections ?? null,
    targetRate: config.rate ?? null,
    sent,
    acknowledged,
    failures,
    statuses,
    elapsedMs,
    eventsPerSecond: acknowledged / (elapsedMs / 1000),
    latencyMs: summarize(latencies),
    loadgenCpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  }) + '\n',
);
