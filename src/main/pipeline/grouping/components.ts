import { createHash, type Hash } from 'node:crypto';
import type { GroupingComponent } from '../../../shared/grouping';
import { StringMemo } from './memo';

/** A leaf component holding one value, e.g. `function: "processOrder"`. */
export function leaf(id: string, value: string, contributes: boolean, hint?: string): GroupingComponent {
  return hint === undefined ? { id, contributes, values: [value] } : { id, contributes, hint, values: [value] };
}

/** An inner component; it contributes only when asked to and at least one child contributes. */
export function branch(
  id: string,
  children: GroupingComponent[],
  options: { contributes?: boolean; hint?: string } = {},
): GroupingComponent {
  const anyChild = children.some((child) => child.contributes);
  const component: GroupingComponent = { id, contributes: (options.contributes ?? true) && anyChild, values: children };
  if (options.hint !== undefined) component.hint = options.hint;
  return component;
}

/**
 * Marks a component (and so its whole subtree) as not contributing. The reason replaces a
 * normalization note; a component that already did not contribute keeps its own reason.
 */
export function exclude(component: GroupingComponent, hint: string): GroupingComponent {
  if (component.contributes || component.hint === undefined) component.hint = hint;
  component.contributes = false;
  return component;
}

/** The contributing values of frozen components (shared stacks, see stacktrace.ts): walked once, not per event. */
const valuesOfFrozen = new WeakMap<GroupingComponent, readonly string[]>();

/** Contributing leaf values in tree order: a value counts only if every ancestor contributes. */
export function contributingValues(component: GroupingComponent, out: string[] = []): string[] {
  if (!component.contributes) return out;
  if (Object.isFrozen(component)) {
    let values = valuesOfFrozen.get(component);
    if (values === undefined) {
      values = collectValues(component, []);
      valuesOfFrozen.set(component, values);
    }
    for (const value of values) out.push(value);
    return out;
  }
  return collectValues(component, out);
}

function collectValues(component: GroupingComponent, out: string[]): string[] {
  for (const value of component.values) {
    if (typeof value === 'string') out.push(value);
    else contributingValues(value, out);
  }
  return out;
}

export function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** Contributing leaves with the id of the component that holds them, e.g. `function=processOrder`. */
export function contributingLeaves(component: GroupingComponent): { id: string; value: string }[] {
  if (!component.contributes) return [];
  const out: { id: string; value: string }[] = [];
  for (const value of component.values) {
    if (typeof value === 'string') out.push({ id: component.id, value });
    else out.push(...contributingLeaves(value));
  }
  return out;
}

export function findComponent(component: GroupingComponent, id: string): GroupingComponent | undefined {
  if (component.id === id) return component;
  for (const value of component.values) {
    if (typeof value === 'string') continue;
    const found = findComponent(value, id);
    if (found) return found;
  }
  return undefined;
}

/**
 * What a frozen (shared) component adds to the hashes of the variants that start with it — a
 * cached stack, ahead of the exception's type and value: an MD5 state that has read its values,
 * copied instead of hashing the stack's several KB again; and the digests made from it by what
 * followed, since a crash loop repeats one and a storm of errors from one place a few hundred.
 * Bounded: 2048 digests of tails up to 256 characters (under 1 MB); the states die with the stack
 * cache's entries.
 */
interface PrimedHash {
  id: number;
  hash: Hash;
}
const primedOfFrozen = new WeakMap<GroupingComponent, PrimedHash>();
let primedCount = 0;
const digestsAfterFrozen = new StringMemo<string>(2048);
/** Longer tails (a long exception value) are hashed every time rather than kept. */
const MAX_KEPT_TAIL = 256;

/** The same digest as md5Of(contributingValues(component) followed by `extra`). */
export function md5OfComponent(component: GroupingComponent, extra: readonly string[] = []): string {
  const parts: (string | GroupingComponent)[] = [];
  if (component.contributes) collectParts(component, parts);
  const first = parts[0];
  let tail = first === undefined || typeof first !== 'string' ? '' : first;
  for (let at = 1; at < parts.length; at++) {
    const part = parts[at] as string | GroupingComponent;
    tail += typeof part === 'string' ? part : contributingValues(part).join('');
  }
  for (const value of extra) tail += value;
  if (first === undefined || typeof first === 'string') return createHash('md5').update(tail, 'utf8').digest('hex');
  let primed = primedOfFrozen.get(first);
  if (primed === undefined) {
    primed = { id: primedCount++, hash: createHash('md5').update(contributingValues(first).join(''), 'utf8') };
    primedOfFrozen.set(first, primed);
  }
  const { hash } = primed;
  const digest = (): string => hash.copy().update(tail, 'utf8').digest('hex');
  return tail.length > MAX_KEPT_TAIL ? digest() : digestsAfterFrozen.get(`${primed.id}\u0000${tail}`, digest);
}

/** Contributing leaf values in tree order, with frozen contributing components kept whole. */
function collectParts(component: GroupingComponent, out: (string | GroupingComponent)[]): void {
  for (const value of component.values) {
    if (typeof value === 'string') out.push(value);
    else if (!value.contributes) continue;
    else if (Object.isFrozen(value)) out.push(value);
    else collectParts(value, out);
  }
}

/** MD5 hex over the values fed one after another (the same digest Sentry computes). */
export function md5Of(values: readonly string[]): string {
  // One update of the concatenation is the same digest as one update per value, and cheaper.
  return createHash('md5').update(values.join(''), 'utf8').digest('hex');
}
