/**
 * `stacktray run -- <command…>`: runs a program with its Sentry SDK (and OpenTelemetry exporter)
 * pointed at Stacktray, and exits with its exit code. When no Stacktray answers at --url, a
 * headless one runs for the command's lifetime.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiRequestError, type ApiClient } from '../../shared/api-client';
import type { Project } from '../../shared/project';
import type { Core } from '../core/core-types';
import { defaultDataDir } from '../core/paths';
import { apiClientFor, CommandError, parseFlags, serverOptions, serverUrl, SERVER_FLAGS_USAGE, UsageError, type Command } from './command';
import { findProject } from './projects';

const USAGE = `Usage: stacktray run [--project <id|name>] [--data-dir <dir>] -- <command> [args…]

Runs <command> with SENTRY_DSN (the project's DSN), SENTRY_SPOTLIGHT (this server's /stream) and
OTEL_EXPORTER_OTLP_ENDPOINT (+ _HEADERS) set, stdin/stdout/stderr passed through, and exits with
its exit code. When no Stacktray answers at --url, starts a headless one on that port for as long
as the command runs (data in --data-dir, default ${defaultDataDir()}).

  --project       the project whose DSN to use (id or name; default: the first project)
  --data-dir      data folder of the Stacktray started when none answers
${SERVER_FLAGS_USAGE}`;

/** The environment that points a program's SDKs at `project` on the server at `url`. */
export function sdkEnvironment(url: string, project: Project): Record<string, string> {
  return {
    SENTRY_DSN: project.dsn,
    SENTRY_SPOTLIGHT: `${url}/stream`,
    OTEL_EXPORTER_OTLP_ENDPOINT: `${url}/api/${project.id}/integration/otlp`,
    // Header values are percent-encoded (OpenTelemetry spec): the space and "=" must survive the parser.
    OTEL_EXPORTER_OTLP_HEADERS: `x-sentry-auth=${encodeURIComponent(`sentry sentry_key=${project.publicKey}`)}`,
  };
}

async function answers(api: ApiClient): Promise<boolean> {
  try {
    await api.info();
    return true;
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 0) return false;
    throw error;
  }
}

async function startHeadless(url: string, dataDir: string): Promise<Core> {
  const { hostname, port } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') {
    throw new CommandError(`no Stacktray answers at ${url}, and one can only be started here on 127.0.0.1`);
  }
  const { startCore } = await import('../core/core');
  try {
    return await startCore({
      dataDir,
      port: port === '' ? 80 : Number(port),
      host: '127.0.0.1',
      otlpPort: null,
      logLevel: 'warn',
      rendererDir: join(__dirname, '../renderer'),
    });
  } catch (error) {
    throw new CommandError(`could not start Stacktray for the command: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function runChild(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    // A terminal's Ctrl-C reaches the child itself (same process group): we wait for it to exit.
    const ignoreInterrupt = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', ignoreInterrupt);
    process.on('SIGTERM', forward);
    child.once('error', (error) => reject(new CommandError(`could not run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignoreInterrupt);
      process.off('SIGTERM', forward);
      resolveExit(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

export const runCommand: Command = {
  name: 'run',
  summary: "run a program with its Sentry SDK pointed at Stacktray",
  usage: USAGE,
  async run(argv) {
    const split = argv.indexOf('--');
    const own = split === -1 ? argv : argv.slice(0, split);
    const { values, positionals } = parseFlags(own, { ...serverOptions, project: { type: 'string' }, 'data-dir': { type: 'string' } }, true);
    if (values.help) return (console.log(USAGE), 0);
    const [command, ...args] = split === -1 ? positionals : [...positionals, ...argv.slice(split + 1)];
    if (command === undefined) throw new UsageError('run needs a command after --, e.g. stacktray run -- node app.js');

    let url = serverUrl(values.url);
    let api = apiClientFor(url, values.token);
    let started: Core | null = null;
    if (!(await answers(api))) {
      started = await startHeadless(url, resolve(values['data-dir'] ?? process.env.STACKTRAY_DATA_DIR ?? defaultDataDir()));
      url = started.url;
      api = apiClientFor(url, values.token);
      console.error(`stacktray run: started Stacktray at ${url} for this command (data: ${started.dataDir})`);
    }
    try {
      const project = await findProject(api, values.project);
      return await runChild(command, args, sdkEnvironment(url, project));
    } finally {
      await started?.stop();
    }
  },
};
