/** `stacktray serve` (and plain `stacktray`, and `npm start`): the headless server in the foreground. */
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { CliUsageError, parseCliArgs, USAGE } from '../cli-args';
import { UsageError, type Command } from './command';

export async function serve(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseCliArgs(argv, process.env);
  } catch (error) {
    if (error instanceof CliUsageError) throw new UsageError(error.message);
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = resolve(options.dataDir);
  // Loaded here, not at the top: the client subcommands start without the core (a third of the start-up).
  const [{ startCore }, { DataDirLockedError, PortInUseError }, { NewerSchemaError }] = await Promise.all([
    import('../core/core'),
    import('../core/core-types'),
    import('../store/db'),
  ]);
  let core;
  try {
    core = await startCore({
      dataDir,
      port: options.port,
      host: options.host,
      otlpPort: options.otlpPort,
      logLevel: 'warn',
      // This file is bundled to out/main/cli.js; the renderer is built to out/renderer.
      rendererDir: join(__dirname, '../renderer'),
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`stacktray: ${error.message}. Stop it first, or pass --data-dir <another folder>.`);
      return 1;
    }
    if (error instanceof PortInUseError) {
      console.error(`stacktray: ${error.message}. Pass --port <another port> (or --port 0 for any free one).`);
      return 1;
    }
    if (error instanceof NewerSchemaError) {
      console.error(`stacktray: ${error.message}`);
      return 1;
    }
    throw error;
  }
  // Handlers first: a supervisor may signal the moment it reads the address below.
  const exited = new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`Stopping (${signal})…`);
      core.stop().then(
        () => resolveExit(0),
        (error: unknown) => {
          console.error('stacktray: error while stopping', error);
          resolveExit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

  // Bound to every interface, the core's own URL names loopback: other machines need this one's addresses.
  const others = externalAddresses(options.host).map((address) => withHost(core.url, address)).filter((url) => url !== core.url);
  const elsewhere = others.length > 0 ? ` and, from other machines, ${others.join(', ')}` : '';
  console.log(`Stacktray listening on ${core.url}${elsewhere}${options.host === '0.0.0.0' || options.host === '::' ? ` (all interfaces, ${options.host})` : ''}`);
  console.log(`Data folder: ${core.dataDir}`);
  if (core.otlpPort !== null) console.log(`OTLP/HTTP also on http://127.0.0.1:${core.otlpPort} (/v1/traces, /v1/logs)`);
  for (const project of core.listProjects()) {
    console.log(`DSN for project "${project.name}" (${project.id}): ${project.dsn}`);
    if (others.length > 0) console.log(`  from other machines: ${others.map((url) => withHost(project.dsn, new URL(url).hostname)).join(', ')}`);
  }
  if (core.apiToken !== null) {
    // Beyond loopback the API answers 401 without the token, so whoever started it needs to see it.
    console.log(`Listening on ${options.host}: the API needs this token (ingest needs only a DSN): ${core.apiToken}`);
    console.log(`  send it as "Authorization: Bearer <token>" or ?token=<token>, e.g.`);
    console.log(`  curl -H "Authorization: Bearer ${core.apiToken}" ${core.url}/api/projects`);
  }
  console.log('Press Ctrl-C to stop.');

  return exited;
}

/** `url` (a server URL or a DSN) with its host name replaced, port and key kept. */
function withHost(url: string, hostname: string): string {
  const parsed = new URL(url);
  parsed.hostname = hostname;
  return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
}

/** The addresses other machines can reach a server listening on `host` by (all interfaces, or that one). */
function externalAddresses(host: string): string[] {
  const all = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
    .map((address) => address?.address ?? '');
  return host === '0.0.0.0' || host === '::' ? all : all.filter((address) => address === host);
}


export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the headless server in the foreground (the default)',
  usage: USAGE,
  run: serve,
};
