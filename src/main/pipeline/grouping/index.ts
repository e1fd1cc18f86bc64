import type { SentryEvent } from '../../../shared/event';
import type { GroupingResult, GroupingVariant } from '../../../shared/grouping';
import { exclude, md5Of, md5OfComponent } from './components';
import { isDefaultMarker, resolveTemplate } from './fingerprint';
import { firstMatchingRule, type FingerprintRule } from './rules';
import { parseFingerprintRules } from './rules-parser';
import { withSharedFrameFacts } from './frame';
import { describeEvent } from './title';
import { componentVariants } from './variants';

export { parameterize } from './parameterize';
export { describeRuleErrors, parseFingerprintRules } from './rules-parser';
export type { RuleParseError } from './rules-parser';
export type { FingerprintMatcher, FingerprintRule } from './rules';

/** Stored with each issue hash; bump only together with a new frozen set of rules. */
export const GROUPING_CONFIG = 'stacktray:2026-11';

/** Rules every project has (Sentry's built-in set): webpack chunk load failures are one issue whatever the stack. */
const BUILT_IN_RULES = parseFingerprintRules(
  ['family:javascript error.type:ChunkLoadError -> chunkloaderror', 'family:javascript error.value:"ChunkLoadError*" -> chunkloaderror'].join('\n'),
).rules;

interface FingerprintChoice {
  key: 'custom-fingerprint' | 'built-in-fingerprint';
  values: string[];
  description: string;
  rule?: FingerprintRule;
}

function chooseFingerprint(event: SentryEvent, rules: readonly FingerprintRule[]): FingerprintChoice | undefined {
  const projectRule = firstMatchingRule(event, rules);
  if (projectRule) {
    return { key: 'custom-fingerprint', values: projectRule.fingerprint, description: `project rule: ${projectRule.text}`, rule: projectRule };
  }
  // Normalized events carry string arrays; anything else is ignored rather than trusted.
  const client = (Array.isArray(event.fingerprint) ? event.fingerprint : []).filter((value) => typeof value === 'string');
  const clientIsDefault = client.length === 0 || (client.length === 1 && isDefaultMarker(client[0] ?? ''));
  if (clientIsDefault || client.some(isDefaultMarker)) {
    const builtIn = firstMatchingRule(event, BUILT_IN_RULES);
    if (builtIn) return { key: 'built-in-fingerprint', values: builtIn.fingerprint, description: `built-in rule: ${builtIn.text}`, rule: builtIn };
  }
  if (clientIsDefault) return undefined;
  return { key: 'custom-fingerprint', values: client, description: 'fingerprint sent by the SDK' };
}

export function groupEvent(event: SentryEvent, options: { rules?: FingerprintRule[] } = {}): GroupingResult {
  return withSharedFrameFacts(() => groupWithRules(event, options.rules ?? []));
}

function groupWithRules(event: SentryEvent, rules: readonly FingerprintRule[]): GroupingResult {
  const description = describeEvent(event);
  const choice = chooseFingerprint(event, rules);
  const resolved = (choice?.values ?? []).map((value) => (isDefaultMarker(value) ? value : resolveTemplate(event, value)));
  const hybridExtras = resolved.filter((value) => !isDefaultMarker(value));
  const isHybrid = choice !== undefined && resolved.some(isDefaultMarker);
  const isCustom = choice !== undefined && !isHybrid;

  const variants: GroupingVariant[] = [];
  if (isCustom) {
    variants.push({ key: choice.key, description: choice.description, hash: md5Of(resolved), contributes: true, values: resolved });
  }
  for (const { key, description: what, component } of componentVariants(event)) {
    if (isCustom) exclude(component, `ignored because ${choice.key.replace(/-/g, ' ')} takes precedence`);
    const variant: GroupingVariant = {
      key,
      description: what,
      hash: component.contributes ? md5OfComponent(component, isHybrid ? hybridExtras : []) : null,
      contributes: component.contributes,
      component,
    };
    if (isHybrid) {
      variant.values = hybridExtras;
      variant.hint = `${choice.description}: default grouping plus ${JSON.stringify(hybridExtras)}`;
    }
    if (!component.contributes && component.hint !== undefined) variant.hint ??= component.hint;
    variants.push(variant);
  }
  if (!variants.some((variant) => variant.contributes)) {
    // Nothing to group on: every such event shares one issue, as in Sentry.
    variants.push({ key: 'fallback', description: 'nothing in the event could be grouped on', hash: md5Of(hybridExtras), contributes: true });
  }

  const hashes = [...new Set(variants.flatMap((variant) => (variant.contributes && variant.hash ? [variant.hash] : [])))];
  const title = choice?.rule?.attributes.title !== undefined ? resolveTemplate(event, choice.rule.attributes.title) : description.title;
  return { config: GROUPING_CONFIG, hashes, variants, title, culprit: description.culprit, metadata: description.metadata };
}
