// The server's memory, V8 heap apart from native (issue 14): starts the built server with
// memory-report.cjs preloaded, reads its report idle (right after start, and once it has been
// quiet for SETTLE_MS, which lets the idle heap trim run: src/main/core/idle-heap-trim.ts), after
// a steady load of the mix, and once quiet again after it. In-process figures; the bench itself only sees RSS from outside.
//   node scripts/bench/memory.mjs [--fixtures wire|bench] [--rate 400] [--seconds 15]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fixtureSetNames } from './fixtures.mjs';
import { runLoadgen } from './phases.mjs';
import { startServer } from './server-process.mjs';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';
import { requireBuilt } from '../server-launch.mjs';

const { values } = parseArgs({ options: { fixtures: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' } } });
const fixtureSet = values.fixtures ?? fixtureSetNames()[0];
/** Long enough for the idle heap trim: 4 s quiet, then minor GCs 2 s apart. */
const SETTLE_MS = 12_000;
const preload = join(dirname(fileURLToPath(import.meta.url)), 'memory-report.cjs');

requireBuilt();
const work = mkdtempSync(join(tmpdir(), 'stacktray-memory-'));
try {
  const server = await startServer({ kind: 'stacktray', dataDir: join(work, 'data'), nodeFlags: [...SERVER_NODE_FLAGS, '-r', preload] });
  const report = async (label) => {
    const seen = server.stderr().split('MEMORY ').length;
    process.kill(server.pid, 'SIGUSR2');
    while (server.stderr().split('MEMORY ').length === seen) await new Promise((resolve) => setTimeout(resolve, 20));
    const line = server.stderr().split('MEMORY ').at(-1).split('\n')[0];
    console.log(`${label}: ${line}`);
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await report('idle');
  await settle();
  await report(`idle, after ${SETTLE_MS / 1000} s quiet`);
  const path = `/api/1/envelope/?sentry_version=7&sentry_key=${server.key}`;
  const rate = Number(values.rate ?? 400);
  await runLoadgen({ port: server.port, path, fixtureSet, load: 'mix', mode: 'rate', rate, durationMs: Number(values.seconds ?? 15) * 1000 });
  await report(`after ${values.seconds ?? 15} s at ${rate}/s`);
  await settle();
  await report(`then ${SETTLE_MS / 1000} s quiet`);
  await server.stop();
} finally {
  rmSync(work, { recursive: true, force: true });
}
