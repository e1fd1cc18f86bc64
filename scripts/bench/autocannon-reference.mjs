// A second opinion on the load generator's ceiling: autocannon (a well-known HTTP bench tool)
// against the same no-op server with the hot envelope as a fixed body (no fresh ids, so its
// cheapest case). When loadgen.mjs reaches about what autocannon does, the generator is not the
// bottleneck of the bench.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadFixtures } from './fixtures.mjs';

const require = createRequire(import.meta.url);

export function autocannonReference({ port, path, fixtureSet, connections, durationMs, work }) {
  const bodyFile = join(work, 'autocannon-body.envelope');
  writeFileSync(bodyFile, loadFixtures(fixtureSet, 'hot')[0].body);
  const cli = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
  const args = [cli, '--json', '-c', String(connections), '-d', String(durationMs / 1000), '-m', 'POST', '-i', bodyFile, `http://127.0.0.1:${port}${path}`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(output);
      resolve({ requestsPerSecond: result.requests.total / (durationMs / 1000), non2xx: result.non2xx, errors: result.errors, p99Ms: result.latency.p99 });
    });
  });
}
