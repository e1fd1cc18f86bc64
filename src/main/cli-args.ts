/** Command-line and environment options of the headless server. */
import { DEFAULT_PORT } from '../shared/settings';
import { defaultDataDir } from './core/paths';

export interface CliOptions {
  port: number;
  dataDir: string;
  host: string;
  otlpPort: number | null | undefined;
  help: boolean;
}

export const USAGE = `Usage: stacktray serve [--port <port>] [--data-dir <dir>] [--host <address>] [--otlp-port <port|off>]
       (also plain \`stacktray [options]\`, and \`npm start -- [options]\` in a clone)

Runs the headless server in the foreground: ingest (Sentry, OTLP), API, UI and MCP (/mcp). Ctrl-C stops it.

  --port        HTTP port for ingest, API and UI (env STACKTRAY_PORT; default ${DEFAULT_PORT}; 0 = any free port)
  --data-dir    data folder (env STACKTRAY_DATA_DIR; default ${defaultDataDir()})
  --host        interface to listen on (default 127.0.0.1; anything else requires the API token)
  --otlp-port   extra OTLP/HTTP listener (default 4318 when free; "off" disables it)`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function parsePort(value: string | undefined, flag: string): number {
  const port = Number(value);
  if (value === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(`${flag} needs a port number between 0 and 65535, got "${value ?? ''}"`);
  }
  return port;
}

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const options: CliOptions = {
    port: env.STACKTRAY_PORT ? parsePort(env.STACKTRAY_PORT, 'STACKTRAY_PORT') : DEFAULT_PORT,
    dataDir: env.STACKTRAY_DATA_DIR || defaultDataDir(),
    host: '127.0.0.1',
    otlpPort: undefined,
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = (argv[index] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++index];
    switch (flag) {
      case '--port':
        options.port = parsePort(value(), '--port');
        break;
      case '--data-dir': {
        const dir = value();
        if (!dir) throw new CliUsageError('--data-dir needs a folder');
        options.dataDir = dir;
        break;
      }
      case '--host': {
        const host = value();
        if (!host) throw new CliUsageError('--host needs an address');
        options.host = host;
        break;
      }
      case '--otlp-port': {
        const port = value();
        options.otlpPort = port === 'off' ? null : parsePort(port, '--otlp-port');
        break;
      }
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new CliUsageError(`unknown option ${flag}`);
    }
  }
  return options;
}
