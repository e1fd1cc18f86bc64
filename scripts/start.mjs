// `npm start`: builds when the bundle is stale, then runs the headless server in the foreground
// with the server's Node flags (scripts/server-launch.mjs). The server is a child process; this
// one forwards signals to it and exits with its code.
import { constants } from 'node:os';
import { pathToFileURL } from 'node:url';
import { CLI_BUNDLE, SERVER_NODE_FLAGS, ensureBuilt, spawnServer } from './server-launch.mjs';

try {
  ensureBuilt();
} catch (error) {
  console.error(`stacktray: ${error.message}`);
  process.exit(1);
}

if (SERVER_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  // Already running under the flags (e.g. `node --max-semi-space-size=4 scripts/start.mjs`).
  await import(pathToFileURL(CLI_BUNDLE).href);
} else {
  // Its own process group, so a terminal's Ctrl-C reaches the server once: through us.
  const server = spawnServer({
    nodeFlags: [...process.execArgv, ...SERVER_NODE_FLAGS],
    cliArgs: process.argv.slice(2),
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
