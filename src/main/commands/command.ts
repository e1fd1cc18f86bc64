/** What every subcommand of `stacktray` shares: its shape, usage errors, and the flags that name a server. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createApiClient, type ApiClient } from '../../shared/api-client';
import { DEFAULT_PORT } from '../../shared/settings';

export interface Command {
  name: string;
  /** One line for `stacktray --help`. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Wrong input: the dispatcher prints one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure to report in one line (exit 1), e.g. an unknown issue or no server. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export const DEFAULT_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

export const SERVER_FLAGS_USAGE = `  --url <url>     the Stacktray to talk to (env STACKTRAY_URL; default ${DEFAULT_URL})
  --token <token> its API token, needed only beyond loopback (env STACKTRAY_TOKEN)`;

export const serverOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** `util.parseArgs`, strict, with its errors turned into one-line usage errors. */
type FlagOptions = NonNullable<ParseArgsConfig['options']>;
type ParsedFlags<Options extends FlagOptions> = ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true; strict: true }>>;

export function parseFlags<Options extends FlagOptions>(argv: string[], options: Options, allowPositionals = false): ParsedFlags<Options> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: allowPositionals as true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    // Node's messages name the flag and say what is wrong; the hint about `--` is not ours to give.
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, '').replace(/^Unknown option '(.*)'$/, 'unknown option $1'));
  }
}

export function serverUrl(flag: string | undefined): string {
  const url = flag ?? process.env.STACKTRAY_URL ?? DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url needs an http:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url needs an http:// URL, got "${url}"`);
  return parsed.origin;
}

export function notRunningHint(url: string): string {
  return `no Stacktray answers at ${url}. Start one with \`stacktray serve\` (or open the Stacktray app), or pass --url.`;
}

export function apiClientFor(url: string, token: string | undefined): ApiClient {
  const apiToken = token ?? process.env.STACKTRAY_TOKEN ?? null;
  return createApiClient({ baseUrl: url, token: () => apiToken, unreachableDetail: notRunningHint(url) });
}

export function positiveIds(values: string[], what = 'issue id'): number[] {
  if (values.length === 0) throw new UsageError(`needs at least one ${what}`);
  return values.map((value) => {
    if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new UsageError(`${what} must be a positive number, got "${value}"`);
    return Number(value);
  });
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
