/** Tags, contexts, breadcrumbs, sdk, fingerprint and modules. */
import type { Breadcrumb, Contexts, SdkInfo, TagPairs } from '../../../shared/event';
import { dataObject, setOwn, trimObjectEntries } from './data';
import { NORMALIZE_LIMITS as L } from './limits';
import { isObject, lenientString, normalizeLevel, strictString, timestampSeconds, truncate, valuesList } from './values';

/**
 * Tags as ordered pairs of strings: from an object, a list of [key, value] pairs or "key:value"
 * strings. Empty keys or values, values with line breaks (relay rejects them) and repeated keys
 * (the first one wins) are dropped.
 */
export function normalizeTags(raw: unknown): TagPairs | undefined {
  let entries: [unknown, unknown][] = [];
  if (isObject(raw)) entries = Object.entries(raw);
  else if (Array.isArray(raw)) entries = raw.flatMap(tagEntry);
  const seen = new Set<string>();
  const tags: TagPairs = [];
  for (const [rawKey, rawValue] of entries) {
    const key = typeof rawKey === 'string' ? rawKey.trim() : undefined;
    const value = lenientString(rawValue, Number.MAX_SAFE_INTEGER)?.trim();
    if (!key || !value || /[\r\n]/.test(value) || seen.has(key)) continue;
    seen.add(key);
    tags.push([truncate(key, L.tagKey), truncate(value, L.tagValue)]);
  }
  return tags.length > 0 ? tags : undefined;
}

function tagEntry(entry: unknown): [unknown, unknown][] {
  if (Array.isArray(entry) && entry.length === 2) return [[entry[0], entry[1]]];
  if (typeof entry === 'string') {
    const colon = entry.indexOf(':');
    if (colon > 0) return [[entry.slice(0, colon), entry.slice(colon + 1)]];
  }
  return [];
}

/** Each context is an object; relay fills a missing `type` with the context's key. */
export function normalizeContexts(raw: unknown): Contexts | undefined {
  if (!isObject(raw)) return undefined;
  const contexts: Contexts = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isObject(value)) continue;
    const context = trimObjectEntries(value, 1);
    if (typeof context['type'] !== 'string') context['type'] = key;
    setOwn(contexts, key, context);
  }
  return Object.keys(contexts).length > 0 ? contexts : undefined;
}

function normalizeBreadcrumb(raw: unknown): Breadcrumb | undefined {
  if (!isObject(raw)) return undefined;
  const crumb: Breadcrumb = {};
  const timestamp = timestampSeconds(raw['timestamp']);
  if (timestamp !== undefined) crumb.timestamp = timestamp;
  for (const key of ['type', 'category'] as const) {
    const text = strictString(raw[key], L.symbol);
    if (text !== undefined) crumb[key] = text;
  }
  const level = normalizeLevel(raw['level']);
  if (level !== undefined) crumb.level = level;
  const message = lenientString(raw['message'], L.message);
  if (message !== undefined) crumb.message = message;
  const data = dataObject(raw['data']);
  if (data) crumb.data = data;
  return crumb;
}

/** Breadcrumbs from a list or `{values}`; only the most recent ones are kept. */
export function normalizeBreadcrumbs(raw: unknown): { values: Breadcrumb[] } | undefined {
  const list = valuesList(raw);
  if (!list) return undefined;
  const values = list.map(normalizeBreadcrumb).filter((crumb): crumb is Breadcrumb => crumb !== undefined);
  return values.length > 0 ? { values: values.slice(-L.breadcrumbs) } : undefined;
}

/** The SDK block; relay requires both a name and a version. */
export function normalizeSdk(raw: unknown): SdkInfo | undefined {
  if (!isObject(raw)) return undefined;
  const name = strictString(raw['name'], L.symbol);
  const version = strictString(raw['version'], L.symbol);
  if (name === undefined || version === undefined) return undefined;
  const sdk: SdkInfo = { name, version };
  if (Array.isArray(raw['integrations'])) {
    sdk.integrations = raw['integrations'].filter((item): item is string => typeof item === 'string');
  }
  if (Array.isArray(raw['packages'])) {
    sdk.packages = raw['packages'].flatMap((item) => {
      if (!isObject(item)) return [];
      const packageName = strictString(item['name'], L.symbol);
      const packageVersion = strictString(item['version'], L.symbol);
      return packageName !== undefined && packageVersion !== undefined ? [{ name: packageName, version: packageVersion }] : [];
    });
  }
  return sdk;
}

/** Fingerprint entries are strings; numbers and booleans are stringified, other values dropped. */
export function normalizeFingerprint(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const values = raw.flatMap((item) => {
    const text = lenientString(item, L.dataString);
    return text === undefined ? [] : [text];
  });
  return values.length > 0 ? values : undefined;
}

/** Module name → version, both strings. */
export function normalizeModules(raw: unknown): Record<string, string> | undefined {
  if (!isObject(raw)) return undefined;
  const modules: Record<string, string> = {};
  for (const [name, version] of Object.entries(raw)) {
    const text = lenientString(version, L.symbol);
    if (name !== '' && text !== undefined) setOwn(modules, truncate(name, L.symbol), text);
  }
  return Object.keys(modules).length > 0 ? modules : undefined;
}

/** Extra: free-form data. */
export function normalizeExtra(raw: unknown): Record<string, unknown> | undefined {
  const extra = dataObject(raw);
  return extra && Object.keys(extra).length > 0 ? extra : undefined;
}
