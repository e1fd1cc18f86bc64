/**
 * Sentry event normalization: turns whatever an SDK sent as an event into the SentryEvent shape
 * relay would store, with the same defaults, coercions and size limits. Pure apart from generating
 * an event id when none is usable.
 */
import type { Level, SentryEvent, Stacktrace } from '../../../shared/event';
import { normalizeBreadcrumbs, normalizeContexts, normalizeExtra, normalizeFingerprint, normalizeModules, normalizeSdk, normalizeTags } from './attributes';
import { applyContextTags } from './context-tags';
import { newEventId, parseEventId } from './event-id';
import { NORMALIZE_LIMITS as L } from './limits';
import { normalizeMessage } from './message';
import { normalizeDebugMeta, normalizeProcessingErrors } from './processing';
import { normalizeExceptions, normalizeStacktrace, normalizeThreads } from './stacktrace';
import { applyUserAgentContexts } from './user-agent';
import { normalizeRequest, normalizeUser } from './user-request';
import { isObject, lenientString, normalizeLevel, strictString, timestampSeconds, type JsonObject } from './values';

export interface NormalizeContext {
  /** When Stacktray received the event: seconds since the epoch (float), like SentryEvent.received. */
  receivedAt: number;
  /** The envelope header's event_id, used when the payload has none. */
  eventIdFallback?: string;
  /** The item header's platform, used when the payload has none. */
  platformFallback?: string;
  /** The sender's address, replacing the `{{auto}}` placeholder in user.ip_address. */
  clientIp?: string;
}

export type NormalizeResult = { ok: true; event: SentryEvent } | { ok: false; reason: string };

/** Platforms Sentry knows; anything else becomes "other". */
const PLATFORMS = new Set([
  'as3', 'c', 'cfml', 'cocoa', 'csharp', 'elixir', 'go', 'groovy', 'haskell', 'java', 'javascript',
  'native', 'node', 'objc', 'other', 'perl', 'php', 'python', 'ruby',
]);

/** Relay corrects timestamps further ahead than this (clock drift) to the receive time. */
const MAX_SECONDS_IN_FUTURE = 60 * 60;

export function normalizeEvent(raw: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(raw)) return { ok: false, reason: `event payload is ${describe(raw)}, not a JSON object` };
  const event: SentryEvent = {
    event_id: parseEventId(raw['event_id']) ?? parseEventId(ctx.eventIdFallback) ?? newEventId(),
    timestamp: eventTimestamp(raw['timestamp'], ctx.receivedAt),
    received: ctx.receivedAt,
    platform: platform(raw['platform']) ?? platform(ctx.platformFallback) ?? 'other',
    level: normalizeLevel(raw['level']) ?? ('error' satisfies Level),
  };
  const text = (key: 'logger' | 'transaction' | 'server_name' | 'release' | 'dist' | 'environment' | 'culprit', max: number): void => {
    const value = lenientString(raw[key], max)?.trim();
    if (value) event[key] = value;
  };
  text('logger', L.logger);
  text('transaction', L.transaction);
  text('server_name', L.serverName);
  text('release', L.release);
  text('dist', L.dist);
  text('environment', L.environment);
  text('culprit', L.culprit);
  Object.assign(event, normalizeMessage(raw));
  assignInterfaces(event, raw, ctx);
  // Relay fills contexts from the request's user agent; Sentry then promotes contexts to tags.
  applyUserAgentContexts(event);
  applyContextTags(event);
  event.type = event.exception ? 'error' : 'default';
  return { ok: true, event };
}

function assignInterfaces(event: SentryEvent, raw: JsonObject, ctx: NormalizeContext): void {
  const exception = normalizeExceptions(raw['exception'] ?? raw['sentry.interfaces.Exception']);
  const threads = normalizeThreads(raw['threads']);
  // Assigned as made, in this order (the event's key order), skipping what is absent.
  const set = <K extends keyof SentryEvent>(key: K, value: SentryEvent[K] | undefined): void => {
    if (value !== undefined) event[key] = value;
  };
  set('exception', exception);
  set('threads', placeLooseStacktrace(raw, exception, threads));
  set('breadcrumbs', normalizeBreadcrumbs(raw['breadcrumbs']));
  set('user', normalizeUser(raw['user'] ?? raw['sentry.interfaces.User'], ctx.clientIp));
  set('request', normalizeRequest(raw['request'] ?? raw['sentry.interfaces.Http']));
  set('contexts', normalizeContexts(raw['contexts']));
  set('tags', normalizeTags(raw['tags']));
  set('extra', normalizeExtra(raw['extra']));
  set('fingerprint', normalizeFingerprint(raw['fingerprint']));
  set('sdk', normalizeSdk(raw['sdk']));
  set('modules', normalizeModules(raw['modules']));
  set('debug_meta', normalizeDebugMeta(raw['debug_meta']));
  set('errors', normalizeProcessingErrors(raw['errors']));
}

/**
 * A top-level `stacktrace` (older SDKs, attach_stacktrace) belongs to the single exception that
 * has none, as in relay; otherwise it becomes a thread so that nothing is lost.
 */
function placeLooseStacktrace(
  raw: JsonObject,
  exception: SentryEvent['exception'],
  threads: SentryEvent['threads'],
): SentryEvent['threads'] {
  const stacktrace: Stacktrace | undefined = normalizeStacktrace(raw['stacktrace'] ?? raw['sentry.interfaces.Stacktrace']);
  if (!stacktrace) return threads;
  const only = exception?.values.length === 1 ? exception.values[0] : undefined;
  if (only && !only.stacktrace) {
    only.stacktrace = stacktrace;
    return threads;
  }
  if (threads) return threads;
  return { values: [{ stacktrace }] };
}

function eventTimestamp(value: unknown, receivedAt: number): number {
  const seconds = timestampSeconds(value);
  if (seconds === undefined || seconds > receivedAt + MAX_SECONDS_IN_FUTURE) return receivedAt;
  return seconds;
}

function platform(value: unknown): string | undefined {
  const name = strictString(value, 64)?.toLowerCase();
  return name !== undefined && PLATFORMS.has(name) ? name : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
