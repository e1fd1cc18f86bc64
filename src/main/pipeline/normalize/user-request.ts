/** The `user` and `request` interfaces. */
import { isIP } from 'node:net';
import type { RequestInfo, User } from '../../../shared/event';
import { dataObject, setOwn, trimData } from './data';
import { NORMALIZE_LIMITS as L } from './limits';
import { isObject, lenientString, strictString, type JsonObject } from './values';

const USER_STRINGS = ['id', 'email', 'username', 'name', 'segment'] as const;

/** `clientIp` replaces the `{{auto}}` placeholder browsers send for ip_address. */
export function normalizeUser(raw: unknown, clientIp: string | undefined): User | undefined {
  if (!isObject(raw)) return undefined;
  const user: User = {};
  for (const key of USER_STRINGS) {
    const value = lenientString(raw[key], L.symbol);
    if (value !== undefined) user[key] = value;
  }
  const ip = normalizeIp(raw['ip_address'], clientIp);
  if (ip !== undefined) user.ip_address = ip;
  const geo = dataObject(raw['geo']);
  if (geo) user.geo = geo;
  const data = dataObject(raw['data']);
  if (data) user.data = data;
  // Other keys are kept as sent (trimmed), as relay keeps a user's additional properties.
  for (const [key, value] of Object.entries(raw)) {
    if (Object.hasOwn(user, key) || ['ip_address', 'geo', 'data', ...USER_STRINGS].includes(key)) continue;
    const trimmed = trimData(value, 1);
    if (trimmed !== undefined && trimmed !== null) setOwn(user, key, trimmed);
  }
  return Object.keys(user).length > 0 ? user : undefined;
}

function normalizeIp(value: unknown, clientIp: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '{{auto}}') return clientIp;
  return isIP(text) !== 0 ? text : undefined;
}

export function normalizeRequest(raw: unknown): RequestInfo | undefined {
  if (!isObject(raw)) return undefined;
  const request: RequestInfo = {};
  const method = strictString(raw['method'], 32);
  if (method !== undefined) request.method = method.toUpperCase();
  applyUrl(request, raw);
  const query = raw['query_string'] ?? raw['query'];
  const queryPairs = query === undefined ? undefined : pairsFrom(query, parseQueryString);
  if (queryPairs) request.query_string = queryPairs;
  const headers = pairsFrom(raw['headers'], () => undefined)?.map(([name, value]): [string, string] => [
    headerName(name),
    value,
  ]);
  const cookieHeader = headers?.find(([name]) => name === 'Cookie');
  const cookies = pairsFrom(raw['cookies'], parseCookies) ?? (cookieHeader ? parseCookies(cookieHeader[1]) : undefined);
  if (cookies) request.cookies = cookies;
  // Relay moves the Cookie header into `cookies` rather than keeping it twice.
  const keptHeaders = headers?.filter(([name]) => name !== 'Cookie');
  if (keptHeaders && keptHeaders.length > 0) request.headers = keptHeaders;
  if (raw['data'] !== undefined && raw['data'] !== null) request.data = trimData(raw['data'], 1);
  const env = dataObject(raw['env']);
  if (env) request.env = env;
  for (const key of ['fragment', 'inferred_content_type', 'api_target'] as const) {
    const text = strictString(raw[key], L.path);
    if (text !== undefined && request[key] === undefined) request[key] = text;
  }
  return Object.keys(request).length > 0 ? request : undefined;
}

/** A URL with a query or fragment keeps the bare URL; the rest fills query_string and fragment. */
function applyUrl(request: RequestInfo, raw: JsonObject): void {
  const url = strictString(raw['url'], L.dataString);
  if (url === undefined) return;
  const hashAt = url.indexOf('#');
  const withoutFragment = hashAt === -1 ? url : url.slice(0, hashAt);
  if (hashAt !== -1 && raw['fragment'] === undefined && hashAt + 1 < url.length) request.fragment = url.slice(hashAt + 1);
  const queryAt = withoutFragment.indexOf('?');
  request.url = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  if (queryAt !== -1 && raw['query_string'] === undefined && raw['query'] === undefined) {
    const pairs = parseQueryString(withoutFragment.slice(queryAt + 1));
    if (pairs.length > 0) request.query_string = pairs;
  }
}

/** `Content-Type`, `X-Forwarded-For`: relay's canonical header spelling. */
export function headerName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]!.toUpperCase() + part.slice(1).toLowerCase()))
    .join('-');
}

/** Pairs from an object, a list of [key, value] pairs, or a string handed to `parseText`. */
function pairsFrom(value: unknown, parseText: (text: string) => [string, string][] | undefined): [string, string][] | undefined {
  let pairs: [string, string][] | undefined;
  if (typeof value === 'string') pairs = parseText(value);
  else if (Array.isArray(value)) pairs = value.flatMap((entry) => pairFromEntry(entry));
  else if (isObject(value)) pairs = Object.entries(value).flatMap(([key, item]) => pairFromEntry([key, item]));
  return pairs && pairs.length > 0 ? pairs : undefined;
}

function pairFromEntry(entry: unknown): [string, string][] {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || entry[0] === '') return [];
  const [key, value] = entry as [string, unknown];
  // Multi-valued headers arrive as lists: one pair per value.
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((item): [string, string][] => {
    const text = typeof item === 'string' ? item : lenientString(item, L.dataString);
    return text === undefined ? [] : [[key, text]];
  });
}

export function parseQueryString(text: string): [string, string][] {
  const query = text.startsWith('?') ? text.slice(1) : text;
  if (query === '') return [];
  return [...new URLSearchParams(query).entries()];
}

function parseCookies(text: string): [string, string][] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part): [string, string] => {
      const equals = part.indexOf('=');
      return equals === -1 ? [part, ''] : [part.slice(0, equals).trim(), part.slice(equals + 1).trim()];
    });
}
