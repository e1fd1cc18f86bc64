// The server's memory, V8 heap apart from native (issue 14): starts the built server with
// memory-report.cjs preloaded, reads its report idle and after a steady load of the mix, and
// prints both. In-process figures; the bench itself only sees RSS from outside.
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
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await report('idle');
  const path = `/api/1/envelope/?sentry_version=7&sentry_key=${server.key}`;
  const rate = Number(values.rate ?? 400);
  await runLoadgen({ port: server.port, path, fixtureSet, load: 'mix', mode: 'rate', rate, durationMs: Number(values.seconds ?? 15) * 1000 });
  await report(`after ${values.seconds ?? 15} s at ${rate}/s`);
  await server.stop();
} finally {
  rmSync(work, { recursive: true, force: true });
}
