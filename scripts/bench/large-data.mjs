// The large-data measurement: 10,000 issues holding 1,000,000 events, written through the real
// store writer (in batches, as the pipeline does), then the real headless server is started on
// that folder and the issue list is timed over HTTP. Distinct issues come from real events whose
// exception type is numbered, grouped by the real grouper; each issue's events reuse its
// compressed real payload with their own event_id and timestamps spread over 30 days.
//   node scripts/bench/large-data.mjs [--issues 10000] [--events 1000000]
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadHarness } from './build-harness.mjs';
import { loadFixtures, fixtureSetNames } from './fixtures.mjs';
import { startServer } from './server-process.mjs';
import { summarize } from './stats.mjs';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const DAY = 86_400;
const BATCH = 2_000;

function populate(h, dataDir, issues, events, log) {
  const store = h.openStore(join(dataDir, 'stacktray.db'), () => 'http://127.0.0.1:1');
  store.ensureDefaultProject();
  const projectId = store.projects.list()[0].id;
  const ctx = { receivedAt: Date.now() / 1000, maxEventBytes: 1 << 20, clientIp: '127.0.0.1' };
  const bases = loadFixtures(fixtureSetNames()[0]).map((f) => h.readEnvelopeItems(h.parseEnvelope(f.body), ctx).events[0]);
  const perIssue = Math.ceil(events / issues);
  const now = Date.now() / 1000;
  let written = 0;
  let batch = [];
  const flush = () => {
    store.writer.writeBatch({ events: batch, otherItems: [], looseAttachments: [] }, now);
    batch = [];
  };
  for (let issue = 0; issue < issues && written < events; issue++) {
    const base = bases[issue % bases.length];
    const event = structuredClone(base.event);
    for (const exception of event.exception?.values ?? []) if (exception.type) exception.type = `${exception.type}${issue}`;
    if (!event.exception?.values?.some((e) => e.type)) event.message = `${event.message ?? ''} variant ${'x'.repeat(1 + (issue % 7))}${issue.toString(36)}`;
    const grouping = h.groupEvent(event);
    const payload = h.encodePayload(base.payload);
    const span = 30 * DAY * Math.random();
    for (let n = 0; n < perIssue && written < events; n++, written++) {
      const timestamp = now - span + (span * n) / perIssue;
      batch.push({
        projectId,
        event: { ...event, event_id: written.toString(16).padStart(32, '0'), timestamp, received: timestamp },
        grouping,
        payload,
        attachments: [],
        userKey: `id:u-${n % 40}`,
        tags: [['level', event.level], ['release', event.release ?? 'none'], ['environment', event.environment ?? 'none']],
        searchText: `${event.exception?.values?.[0]?.type ?? ''}\n${event.message ?? ''}`,
      });
      if (batch.length === BATCH) flush();
    }
    if (issue % 1000 === 999) log(`  ${issue + 1} issues, ${written} events`);
  }
  if (batch.length > 0) flush();
  store.close();
  return written;
}

async function timeGets(port, path, times) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples = [];
  for (let i = 0; i < times + 3; i++) {
    const started = performance.now();
    const status = await new Promise((resolve, reject) => {
      get({ agent, host: '127.0.0.1', port, path }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      }).on('error', reject);
    });
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
    if (i >= 3) samples.push(performance.now() - started); // the first calls warm up statements and JIT
  }
  agent.destroy();
  return summarize(samples);
}

export async function measureLargeData({ work, serverFlags = SERVER_NODE_FLAGS, issues = 10_000, events = 1_000_000, log = console.error }) {
  const h = await loadHarness();
  const dataDir = join(work, 'large');
  mkdirSync(dataDir, { recursive: true });
  log(`large data: writing ${issues} issues / ${events} events through the store writer…`);
  const started = performance.now();
  const written = populate(h, dataDir, issues, events, log);
  const populateSeconds = (performance.now() - started) / 1000;
  const file = join(dataDir, 'stacktray.db');
  const databaseBytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  // The default retention (200,000 payloads in total) would evict 80% of them in the background
  // while the list is timed: keep them all, as someone who raised the limits would.
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ retention: { maxEventsPerIssue: 1000, maxEventsTotal: 2 * events, maxAgeDays: 90, maxDatabaseMb: 100_000 } }));
  const startClock = performance.now();
  const server = await startServer({ kind: 'stacktray', dataDir, nodeFlags: serverFlags });
  const startSeconds = (performance.now() - startClock) / 1000;
  try {
    const listMs = await timeGets(server.port, '/api/issues?status=unresolved&limit=25', 40);
    const countSortMs = await timeGets(server.port, '/api/issues?status=all&sort=count&limit=100', 40);
    const searchMs = await timeGets(server.port, '/api/issues?status=unresolved&query=TypeError42&limit=25', 20);
    return { issues, events: written, databaseBytes, populateSeconds, startSeconds, listMs, countSortMs, searchMs };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { issues: { type: 'string' }, events: { type: 'string' } } });
  const work = mkdtempSync(join(tmpdir(), 'stacktray-large-'));
  try {
    const result = await measureLargeData({ work, issues: Number(values.issues ?? 10_000), events: Number(values.events ?? 1_000_000) });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
