/**
 * Tags promoted from contexts, as Sentry promotes them when it stores an event: `browser`
 * ("Chrome 120.0.0"), `browser.name`, `os`, `os.name`, `device` (the model), `device.family`,
 * `runtime`, `runtime.name` and a few more. A tag is named after the context's key, so a
 * `client_os` context gives `client_os` and `client_os.name`; the context's `type` picks the
 * fields. Promoted tags replace an SDK tag of the same name, as in Sentry.
 */
import type { Contexts, SentryEvent, TagPairs } from '../../../shared/event';
import { NORMALIZE_LIMITS as L } from './limits';
import { truncate } from './values';

type Context = Record<string, unknown>;
/** Tag suffix ('' for the bare context key) → how its value is read from the context. */
type TagFields = [suffix: string, read: (context: Context) => unknown][];

const field = (name: string) => (context: Context) => context[name];

/**
 * `browser`, `os` and `runtime` read the summary relay computes into the context when the SDK did
 * not send one: the name, then the version when there is one (runtime needs both).
 */
function summary(key: string, needsVersion: boolean): (context: Context) => unknown {
  return (context) => {
    const given = context[key];
    if (typeof given === 'string' && given.trim() !== '') return given;
    const name = text(context['name']);
    const version = text(context['version']);
    if (!name || (needsVersion && !version)) return undefined;
    return version ? `${name} ${version}` : name;
  };
}

const TAGS_BY_TYPE: Record<string, TagFields> = {
  browser: [['', summary('browser', false)], ['name', field('name')]],
  os: [['', summary('os', false)], ['name', field('name')], ['rooted', field('rooted')]],
  runtime: [['', summary('runtime', true)], ['name', field('name')]],
  device: [['', field('model')], ['family', field('family')]],
  gpu: [['name', field('name')], ['vendor', field('vendor_name')]],
  app: [['device', field('device_app_hash')]],
  monitor: [['id', field('id')], ['slug', field('slug')]],
};

/** A tag value as Sentry formats it: booleans as yes/no, one line, at most the tag length. */
function text(value: unknown): string | undefined {
  let formatted: string | undefined;
  if (typeof value === 'string') formatted = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) formatted = String(value);
  else if (typeof value === 'boolean') formatted = value ? 'yes' : 'no';
  if (!formatted || /[\r\n]/.test(formatted)) return undefined;
  return truncate(formatted, L.tagValue);
}

export function contextTags(contexts: Contexts | undefined): TagPairs {
  const tags: TagPairs = [];
  for (const [key, context] of Object.entries(contexts ?? {})) {
    const type = typeof context['type'] === 'string' ? context['type'] : key;
    const fields = Object.hasOwn(TAGS_BY_TYPE, type) ? TAGS_BY_TYPE[type] : undefined;
    for (const [suffix, read] of fields ?? []) {
      const value = text(read(context));
      const tagKey = suffix === '' ? key : `${key}.${suffix}`;
      if (value !== undefined && tagKey.length <= L.tagKey) tags.push([tagKey, value]);
    }
  }
  return tags;
}

/** Appends the promoted tags to the event's own, dropping the event's tags they replace. */
export function applyContextTags(event: SentryEvent): void {
  const promoted = contextTags(event.contexts);
  if (promoted.length === 0) return;
  if (!event.tags) {
    event.tags = promoted;
    return;
  }
  const kept = event.tags.filter(([key]) => !promoted.some(([promotedKey]) => promotedKey === key));
  event.tags = [...kept, ...promoted];
}
