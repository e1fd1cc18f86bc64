// Where the slow requests' time goes (issue 14's p99 at 400/s): loaded into the server under test
// with `--require`, it records event-loop delay, GC pauses, SQLite transactions, COMMITs and
// statements, checkpoint round trips to the worker, slow timer and immediate callbacks, file
// lookups on libuv's pool, and each ingest request's time from request to reply; each long
// blocker is kept with its start, so a slow request can be laid beside what overlapped it.
// A diagnostic only: it wraps prototypes and globals, and costs CPU of its own.
//   STACKTRAY_LATENCY_PROBE=/tmp/probe.json npm run bench -- --no-record --short --loads mix \
//     --server-flags='--max-semi-space-size=4 --require ./scripts/bench/latency-probe.cjs'
//   node scripts/bench/latency-report.mjs /tmp/probe.json
// Written when the server exits; only what happened after the first ingest request counts.
const { monitorEventLoopDelay, PerformanceObserver, performance } = require('node:perf_hooks');
const fs = require('node:fs');
const fsPromises = require('node:fs/promises');
const http = require('node:http');
const { Worker } = require('node:worker_threads');

const OUT = process.env.STACKTRAY_LATENCY_PROBE;
const BLOCKER_MS = 1.5;
const BOUNDS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 50, 100, Infinity];
const now = () => performance.now();
const histogram = () => ({ n: 0, sum: 0, max: 0, buckets: BOUNDS.map(() => 0) });
function add(h, ms) {
  h.n++;
  h.sum += ms;
  if (ms > h.max) h.max = ms;
  h.buckets[BOUNDS.findIndex((bound) => ms <= bound)]++;
}
const probe = {
  bounds: BOUNDS.map(String),
  gc: {},
  transactions: histogram(),
  statements: {},
  timers: {},
  fsWaits: {},
  requests: {},
  envelopeMs: [],
  commits: [],
  checkpoints: [],
  blockers: [],
};
const blocker = (kind, label, start, ms) => {
  if (ms >= BLOCKER_MS) probe.blockers.push([start, ms, kind, label]);
};

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = { 1: 'scavenge', 2: 'minor-mark-compact', 4: 'mark-compact', 8: 'incremental', 16: 'weak-callbacks' }[entry.detail?.kind] ?? 'other';
    add((probe.gc[kind] ??= histogram()), entry.duration);
    blocker('gc', kind, entry.startTime, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

// SQLite: the driver the server loads (resolved from its working directory, the project root).
const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd()] }));
const transaction = Database.prototype.transaction;
let transactionDepth = 0;
Database.prototype.transaction = function (fn) {
  const run = transaction.call(this, fn);
  return function (...args) {
    const start = now();
    transactionDepth++;
    try {
      return run.apply(this, args);
    } finally {
      transactionDepth--;
      const ms = now() - start;
      add(probe.transactions, ms);
      blocker('transaction', '', start, ms);
    }
  };
};
const prepare = Database.prototype.prepare;
let statementsWrapped = false;
Database.prototype.prepare = function (sql) {
  const statement = prepare.call(this, sql);
  if (statementsWrapped) return statement;
  statementsWrapped = true;
  const proto = Object.getPrototypeOf(statement);
  for (const method of ['run', 'get', 'all']) {
    const original = proto[method];
    proto[method] = function (...args) {
      const start = now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = now() - start;
        const label = this.source.replace(/\s+/g, ' ').slice(0, 80);
        add((probe.statements[label] ??= histogram()), ms);
        if (label === 'COMMIT') probe.commits.push([start, ms]);
        // Inside a transaction the transaction is the blocker.
        else if (transactionDepth === 0) blocker('statement', label, start, ms);
      }
    };
  }
  return statement;
};

// The checkpoint worker (store/background-checkpoints.ts): from the request to its reply.
const postMessage = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message) {
  if (message === 'checkpoint') {
    this.probeStarted = now();
    if (!this.probeListening) {
      this.probeListening = true;
      this.on('message', () => {
        if (this.probeStarted === undefined) return;
        probe.checkpoints.push([this.probeStarted, now() - this.probeStarted]);
        this.probeStarted = undefined;
      });
    }
  }
  return postMessage.call(this, message);
};

// Callbacks of timers and immediates that run long, by their source text.
for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
  const original = globalThis[name];
  globalThis[name] = function (callback, ...rest) {
    if (typeof callback !== 'function') return original.call(this, callback, ...rest);
    const timed = function (...args) {
      const start = now();
      try {
        return callback.apply(this, args);
      } finally {
        const ms = now() - start;
        if (ms >= 0.5) {
          const label = `${name} ${String(callback).replace(/\s+/g, ' ').slice(0, 70)}`;
          add((probe.timers[label] ??= histogram()), ms);
          blocker('callback', label, start, ms);
        }
      }
    };
    return original.call(this, timed, ...rest);
  };
}

// File lookups on libuv's pool (source maps, sources): how long their callers wait.
for (const method of ['realpath', 'stat', 'open']) {
  const original = fsPromises[method];
  fsPromises[method] = function (...args) {
    const start = now();
    const pending = original.apply(this, args);
    const settle = () => add((probe.fsWaits[method] ??= histogram()), now() - start);
    pending.then(settle, settle);
    return pending;
  };
}

// Each request, from the 'request' event to the reply's 'finish'.
let firstIngest = null;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event !== 'request') return emit.apply(this, arguments);
  const start = now();
  const kind = request.url.includes('/envelope') ? 'envelope' : request.url.startsWith('/api/issues') ? 'issue list' : 'other';
  if (kind === 'envelope' && firstIngest === null) {
    firstIngest = start;
    loopDelay.enable();
  }
  response.on('finish', () => {
    const ms = now() - start;
    add((probe.requests[kind] ??= histogram()), ms);
    if (kind === 'envelope') probe.envelopeMs.push([start, ms]);
  });
  const result = emit.apply(this, arguments);
  blocker('request (synchronous part)', kind, start, now() - start);
  return result;
};

process.on('exit', () => {
  if (!OUT) return;
  const ms = (ns) => ns / 1e6;
  probe.eventLoopDelay = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), p999: ms(loopDelay.percentile(99.9)), max: ms(loopDelay.max) };
  probe.blockers = probe.blockers.filter(([start]) => firstIngest !== null && start >= firstIngest);
  for (const h of [probe.transactions, ...Object.values(probe.gc), ...Object.values(probe.statements), ...Object.values(probe.timers), ...Object.values(probe.fsWaits), ...Object.values(probe.requests)]) {
    h.max = Math.round(h.max * 100) / 100;
  }
  fs.writeFileSync(OUT, JSON.stringify(probe));
});
