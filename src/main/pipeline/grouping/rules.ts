import type { SentryEvent } from '../../../shared/event';
import { allFrames, formattedMessage, tagValue } from './event-facts';
import { globMatch } from './glob';
import { isInApp } from './in-app';
import { platformFamily } from './platform';

/** One `key:value` test of a fingerprint rule; `negated` for a leading `!`. */
export interface FingerprintMatcher {
  key: string;
  pattern: string;
  negated: boolean;
}

/** A project fingerprint rule in Sentry's syntax: `error.type:Foo stack.module:"app.*" -> foo, {{ transaction }} title="…"`. */
export interface FingerprintRule {
  matchers: FingerprintMatcher[];
  fingerprint: string[];
  attributes: { title?: string };
  /** The rule as written, shown as the reason in the "why grouped" panel. */
  text: string;
}

/** Accepted spellings → the canonical matcher key. */
const MATCHER_KEYS: Record<string, string> = {
  'error.type': 'type',
  type: 'type',
  'error.value': 'value',
  value: 'value',
  message: 'message',
  logger: 'logger',
  level: 'level',
  'stack.abs_path': 'path',
  'stack.path': 'path',
  path: 'path',
  abs_path: 'path',
  'stack.module': 'module',
  module: 'module',
  'stack.function': 'function',
  function: 'function',
  'stack.package': 'package',
  package: 'package',
  app: 'app',
  'stack.app': 'app',
  sdk: 'sdk',
  family: 'family',
  release: 'release',
  transaction: 'transaction',
  environment: 'environment',
};

export function canonicalMatcherKey(key: string): string | undefined {
  if (/^tags\.[^\s:]+$/.test(key)) return key;
  return MATCHER_KEYS[key.toLowerCase()];
}

function parseBoolean(pattern: string): boolean | undefined {
  const lowered = pattern.toLowerCase();
  if (['yes', 'true', '1'].includes(lowered)) return true;
  if (['no', 'false', '0'].includes(lowered)) return false;
  return undefined;
}

function anyMatch(values: (string | undefined)[], pattern: string, pathMode = false): boolean {
  return values.some((value) => value !== undefined && globMatch(value, pattern, pathMode));
}

/** A `family:` pattern's names; patterns come from rules, so they are few. */
const familyLists = new Map<string, string[]>();

function familiesOf(pattern: string): string[] {
  let families = familyLists.get(pattern);
  if (families === undefined) {
    families = pattern.split(',').map((family) => family.trim());
    familyLists.set(pattern, families);
  }
  return families;
}

function matchesPositively(event: SentryEvent, matcher: FingerprintMatcher): boolean {
  const { key, pattern } = matcher;
  const exceptions = event.exception?.values ?? [];
  if (key.startsWith('tags.')) return anyMatch([tagValue(event, key.slice('tags.'.length))], pattern);
  switch (key) {
    case 'type':
      return exceptions.some((e) => e.type !== undefined && globMatch(e.type, pattern));
    case 'value':
      return exceptions.some((e) => e.value !== undefined && globMatch(e.value, pattern));
    case 'message':
      // Sentry's message matcher also sees exception values: a "message" is whatever the error said.
      return anyMatch([formattedMessage(event), event.logentry?.message, ...exceptions.map((e) => e.value)], pattern);
    case 'logger':
      return anyMatch([event.logger], pattern);
    case 'level':
      return anyMatch([event.level], pattern);
    case 'sdk':
      return anyMatch([event.sdk?.name], pattern);
    case 'family': {
      const families = familiesOf(pattern);
      return families.includes('all') || families.includes(platformFamily(event.platform));
    }
    case 'release':
      return anyMatch([event.release], pattern);
    case 'transaction':
      return anyMatch([event.transaction], pattern);
    case 'environment':
      return anyMatch([event.environment], pattern);
    default:
      return allFrames(event).some((frame) => {
        switch (key) {
          case 'path':
            return anyMatch([frame.abs_path, frame.filename], pattern, true);
          case 'module':
            return anyMatch([frame.module], pattern);
          case 'function':
            return anyMatch([frame.function], pattern);
          case 'package':
            return anyMatch([frame.package], pattern, true);
          case 'app':
            return parseBoolean(pattern) === isInApp(frame, event.platform);
          default:
            return false;
        }
      });
  }
}

export function ruleMatches(event: SentryEvent, rule: FingerprintRule): boolean {
  return rule.matchers.every((matcher) => matchesPositively(event, matcher) !== matcher.negated);
}

export function firstMatchingRule(event: SentryEvent, rules: readonly FingerprintRule[]): FingerprintRule | undefined {
  return rules.find((rule) => ruleMatches(event, rule));
}
