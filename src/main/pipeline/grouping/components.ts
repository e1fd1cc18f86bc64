import { createHash } from 'node:crypto';
import type { GroupingComponent } from '../../../shared/grouping';

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

/** MD5 hex over the values fed one after another (the same digest Sentry computes). */
export function md5Of(values: readonly string[]): string {
  // One update of the concatenation is the same digest as one update per value, and cheaper.
  return createHash('md5').update(values.join(''), 'utf8').digest('hex');
}
