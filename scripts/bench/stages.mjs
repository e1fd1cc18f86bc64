// Where a server's CPU goes per event, stage by stage, measured in-process on the real modules:
// envelope parse + item read (JSON.parse + normalize), grouping, payload compression and the
// batched SQLite write, in CPU µs per event. Absolute figures still drift with the machine's load
// (caches, frequency); compare the shares, and the JSON.parse line as the yardstick.
//   node scripts/bench/stages.mjs [--fixtures wire|bench] [--load mix|hot|storm] [--rounds N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fixtureSetNames, loadFixtures } from './fixtures.mjs';
import { loadHarness } from './build-harness.mjs';

export async function measureStages(fixtureSet, rounds = 2000, load = 'mix') {
  const h = await loadHarness();
  const fixtures = loadFixtures(fixtureSet, load);
  const dir = mkdtempSync(join(tmpdir(), 'stacktray-stages-'));
  const store = h.openStore(join(dir, 'stacktray.db'), () => 'http://127.0.0.1:1');
  store.ensureDefaultProject();
  const projectId = store.projects.list()[0].id;
  // The steps in front of the pipeline, as core.ts wires them (all folders allowed: the home
  // folder's default); an event that has to wait for their I/O is awaited outside the timing.
  const git = new h.GitReader({ sourceFolders: () => null });
  const gitRelease = new h.GitReleaseStep(git);
  const passOn = { accept: async () => undefined };
  const symbolicating = new h.SymbolicatingSink(passOn, new h.SourceMapLocator(new h.SourceReader({ sourceFolders: () => null }), new h.LoopbackFetcher(), null));
  const totals = { 'JSON.parse (yardstick)': 0, 'envelope parse + normalize': 0, 'source maps + git release': 0, grouping: 0, 'payload compression': 0, 'SQLite write (batches of 50)': 0 };
  const ctx = { receivedAt: Date.now() / 1000, maxEventBytes: 1 << 20, clientIp: '127.0.0.1' };
  let counter = 0;
  // CPU time, not wall time: on a shared machine a stage's wall time includes waiting for a core.
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const time = (stage, fn) => {
    const started = cpuMs();
    const value = fn();
    totals[stage] += cpuMs() - started;
    return value;
  };
  let batch = [];
  for (let round = 0; round < rounds; round++) {
    const fixture = fixtures[round % fixtures.length];
    const body = Buffer.from(fixture.body);
    const id = (counter++).toString(16).padStart(32, 'a');
    for (const at of fixture.idOffsets) body.write(id, at, 'latin1');
    const items = time('envelope parse + normalize', () => h.readEnvelopeItems(h.parseEnvelope(body), ctx));
    const incoming = items.events[0];
    const envelope = { projectId, events: items.events, otherItems: items.otherItems, forward: body };
    let waiting;
    const lookingUp = time('source maps + git release', () => {
      waiting = symbolicating.accept(envelope);
      return gitRelease.apply(envelope.events);
    });
    await waiting;
    await lookingUp;
    time('JSON.parse (yardstick)', () => JSON.parse(incoming.payload));
    const grouping = time('grouping', () => h.groupEvent(incoming.event));
    // As the pipeline does: against the group's reference payload once it has one.
    const reference = time('payload compression', () => store.payloadReferences.of(projectId, grouping.hashes[0] ?? ''));
    const payload = time('payload compression', () => h.encodePayload(incoming.payload, reference));
    batch.push({ projectId, event: incoming.event, grouping, payload, reference: reference ? null : incoming.payload, attachments: [], userKey: null, tags: [['level', incoming.event.level]], searchText: '' });
    if (batch.length === 50) {
      const events = batch;
      time('SQLite write (batches of 50)', () => store.writer.writeBatch({ events, otherItems: [], looseAttachments: [] }, Date.now() / 1000));
      batch = [];
    }
  }
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const perEvent = Object.fromEntries(Object.entries(totals).map(([stage, ms]) => [stage, Math.round((ms * 1000) / rounds)]));
  return { fixtureSet, load, rounds, perEventUs: perEvent };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { fixtures: { type: 'string' }, rounds: { type: 'string' }, load: { type: 'string' } } });
  const set = values.fixtures ?? fixtureSetNames()[0];
  const load = values.load ?? 'mix';
  await measureStages(set, 300, load); // warm the JIT
  const result = await measureStages(set, Number(values.rounds ?? 3000), load);
  const sum = Object.entries(result.perEventUs).filter(([k]) => !k.startsWith('JSON')).reduce((a, [, v]) => a + v, 0);
  for (const [stage, us] of Object.entries(result.perEventUs)) console.log(`${stage.padEnd(32)} ${String(us).padStart(6)} µs/event ${stage.startsWith('JSON') ? '' : `${Math.round((100 * us) / sum)}%`}`);
}
