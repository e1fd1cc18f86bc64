#!/usr/bin/env node
// `npm run test:electron`: the desktop app launched for real (test/electron/, not part of `npm test`).
// Where Electron's binary is missing (`npm ci` does not download it) it says so in one line and exits
// 0: a skip, not a failure. STACKTRAY_REQUIRE_ELECTRON=1 (the packaging workflow) makes it a failure.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronExecutable, missingElectron } from './electron-binary.mjs';
import { ROOT, ensureBuilt } from './server-launch.mjs';

const REQUIRE_ELECTRON_ENV = 'STACKTRAY_REQUIRE_ELECTRON';

const problem = missingElectron();
if (problem !== null) {
  if (process.env[REQUIRE_ELECTRON_ENV] === '1') {
    console.error(`test:electron: failed: ${problem}`);
    process.exit(1);
  }
  console.log(`test:electron: skipped: ${problem}`);
  process.exit(0);
}

try {
  ensureBuilt();
} catch (error) {
  console.error(`test:electron: ${error.message}`);
  process.exit(1);
}

const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--config', join(ROOT, 'vitest.electron.config.ts'), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, STACKTRAY_ELECTRON_EXECUTABLE: electronExecutable() ?? '' },
});
process.exit(run.status ?? 1);
