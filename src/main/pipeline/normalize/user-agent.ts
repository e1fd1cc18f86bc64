/**
 * Browser, OS and device contexts from the User-Agent and client hints in the event's own
 * `request.headers`, as relay fills them. Only contexts the SDK did not send are added; the HTTP
 * request that carried the event is not looked at (relay uses it only for security reports), so a
 * server SDK's event describes the end user's browser from the incoming request it recorded.
 */
import { lazyModule } from '../../lazy-module';
import type UAParserType from 'ua-parser-js';
import type { Contexts, SentryEvent } from '../../../shared/event';
import { StringMemo } from '../grouping/memo';
import { setOwn } from './data';

/** The headers relay reads, by lower-cased name. */
export interface UserAgentHeaders {
  userAgent?: string;
  /** `Sec-CH-UA`: the browser's brands, e.g. `"Google Chrome";v="120", "Chromium";v="120"`. */
  brands?: string;
  /** `Sec-CH-UA-Model`: the device model (empty on desktops). */
  model?: string;
  /** `Sec-CH-UA-Platform` and `Sec-CH-UA-Platform-Version`: the OS. */
  platform?: string;
  platformVersion?: string;
}

type Context = Record<string, string>;

export interface UserAgentContexts {
  browser?: Context;
  os?: Context;
  device?: Context;
}

const HEADER_FIELDS: Record<string, keyof UserAgentHeaders> = {
  'user-agent': 'userAgent',
  'sec-ch-ua': 'brands',
  'sec-ch-ua-model': 'model',
  'sec-ch-ua-platform': 'platform',
  'sec-ch-ua-platform-version': 'platformVersion',
};

/**
 * ua-parser-js reads only this much of a User-Agent; cutting every header there too keeps the
 * memo's keys small when a client sends a huge one.
 */
const MAX_HEADER_LENGTH = 500;

/** The user-agent headers among a request's headers (a repeated header: the last one counts). */
export function userAgentHeaders(headers: readonly [string, string][] | undefined): UserAgentHeaders | undefined {
  if (!headers) return undefined;
  let found: UserAgentHeaders | undefined;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const field = Object.hasOwn(HEADER_FIELDS, lower) ? HEADER_FIELDS[lower] : undefined;
    if (field !== undefined) (found ??= {})[field] = value.slice(0, MAX_HEADER_LENGTH);
  }
  return found;
}

/** Distinct user agents are few (one per browser build); parsing one costs far more than a lookup. */
const parsed = new StringMemo<UserAgentContexts>(512);

/**
 * The contexts the headers describe: client hints first, the User-Agent where they say nothing.
 * Pure; memoized by the header values, so each caller gets its own copies.
 */
export function contextsFromHeaders(headers: UserAgentHeaders): UserAgentContexts {
  const key = [headers.userAgent, headers.brands, headers.model, headers.platform, headers.platformVersion].join('\n');
  const contexts = parsed.get(key, () => parseHeaders(headers));
  const copy: UserAgentContexts = {};
  if (contexts.browser) copy.browser = { ...contexts.browser };
  if (contexts.os) copy.os = { ...contexts.os };
  if (contexts.device) copy.device = { ...contexts.device };
  return copy;
}

type UAParser = InstanceType<typeof UAParserType>;

/** Loaded by the first event that carries a User-Agent: server SDKs' events mostly have none. */
const userAgentParser = lazyModule<typeof UAParserType>('ua-parser-js');

function parserFor(userAgent: string): UAParser {
  const UserAgentParser = userAgentParser();
  return new UserAgentParser(userAgent);
}

function parseHeaders(headers: UserAgentHeaders): UserAgentContexts {
  let parser: UAParser | undefined;
  const userAgent = (): UAParser | undefined =>
    headers.userAgent === undefined ? undefined : (parser ??= parserFor(headers.userAgent));
  const contexts: UserAgentContexts = {};
  const browser = browserFromHints(headers.brands) ?? withParser(userAgent(), browserFromUserAgent);
  const os = osFromHints(headers) ?? withParser(userAgent(), osFromUserAgent);
  const device = deviceFromHints(headers.model) ?? withParser(userAgent(), deviceFromUserAgent);
  if (browser) contexts.browser = browser;
  if (os) contexts.os = os;
  if (device) contexts.device = device;
  return contexts;
}

function withParser(
  parser: UAParser | undefined,
  read: (parser: UAParser) => Context | undefined,
): Context | undefined {
  return parser ? read(parser) : undefined;
}

/** Brands that name an engine or are a deliberate decoy ("Not_A Brand"), not the browser itself. */
const NOT_A_BROWSER = /Brand|Chromium|Gecko|WebKit/;
const BRAND = /"([^"]*)"\s*;\s*v\s*=\s*"([^"]*)"/;

function browserFromHints(brands: string | undefined): Context | undefined {
  for (const item of brands?.split(',') ?? []) {
    if (NOT_A_BROWSER.test(item)) continue;
    const match = BRAND.exec(item);
    const name = match?.[1]?.trim();
    const version = match?.[2]?.trim();
    return name && version ? { type: 'browser', name, version } : undefined;
  }
  return undefined;
}

function osFromHints(headers: UserAgentHeaders): Context | undefined {
  const name = unquote(headers.platform);
  if (!name) return undefined;
  const version = unquote(headers.platformVersion);
  return version ? { type: 'os', name, version } : { type: 'os', name };
}

function deviceFromHints(model: string | undefined): Context | undefined {
  const name = unquote(model);
  return name ? { type: 'device', model: name } : undefined;
}

function unquote(value: string | undefined): string | undefined {
  return value?.trim().replaceAll('"', '');
}

function browserFromUserAgent(parser: UAParser): Context | undefined {
  const { name, version } = parser.getBrowser();
  if (!name) return undefined;
  const short = version && shortVersion(version);
  return short ? { type: 'browser', name, version: short } : { type: 'browser', name };
}

/** ua-parser-js says "Mac OS" where relay's parser (and so Sentry's UI and tags) says "Mac OS X". */
const OS_NAMES: Record<string, string> = { 'Mac OS': 'Mac OS X' };

function osFromUserAgent(parser: UAParser): Context | undefined {
  const os = parser.getOS();
  if (!os.name) return undefined;
  const name = OS_NAMES[os.name] ?? os.name;
  let version = os.version && shortVersion(os.version);
  // Browsers freeze these versions in their User-Agent, so the real one may be any later release.
  if ((name === 'Windows' && version === '10') || (name === 'Mac OS X' && version === '10.15.7')) version = `>=${version}`;
  return version ? { type: 'os', name, version } : { type: 'os', name };
}

function deviceFromUserAgent(parser: UAParser): Context | undefined {
  const { model, vendor } = parser.getDevice();
  if (!model) return undefined;
  const device: Context = { type: 'device', family: model, model };
  if (vendor) device['brand'] = vendor;
  return device;
}

/** Major, minor and patch at most, as relay reports versions ("120.0.6099.144" → "120.0.6099"). */
function shortVersion(version: string): string {
  return version.split('.').slice(0, 3).join('.');
}

/**
 * Adds the contexts the request's user agent describes where the event has none of that name.
 * The OS goes to `client_os` unless the event comes from a browser SDK, so that a server SDK's
 * own `os` (the server's) keeps its name, as relay does.
 */
export function applyUserAgentContexts(event: SentryEvent): void {
  const headers = userAgentHeaders(event.request?.headers);
  if (!headers) return;
  const existing: Contexts = event.contexts ?? {};
  const osKey = event.platform === 'javascript' ? 'os' : 'client_os';
  const missing = (key: string): boolean => !Object.hasOwn(existing, key);
  if (!missing('browser') && !missing('device') && !missing(osKey)) return;
  const derived = contextsFromHeaders(headers);
  const added: [string, Context | undefined][] = [
    ['browser', derived.browser],
    ['device', derived.device],
    [osKey, derived.os],
  ];
  let contexts = event.contexts;
  for (const [key, context] of added) {
    if (!context || !missing(key)) continue;
    contexts ??= {};
    setOwn(contexts, key, context);
  }
  if (contexts) event.contexts = contexts;
}
