import type { ExceptionValue } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, contributingValues, exclude, leaf } from './components';
import type { VariantKind } from './frame';
import { normalizeMessageForGrouping } from './parameterize';
import { stacktraceComponent } from './stacktrace';

export function isSynthetic(exception: ExceptionValue): boolean {
  return exception.mechanism?.synthetic === true;
}

export function exceptionComponent(exception: ExceptionValue, eventPlatform: string, variant: VariantKind): GroupingComponent {
  const children: GroupingComponent[] = [];
  const stacktrace = exception.stacktrace ? stacktraceComponent(exception.stacktrace, eventPlatform, variant) : undefined;
  if (stacktrace) children.push(stacktrace);

  if (exception.type !== undefined && exception.type !== '') {
    children.push(
      isSynthetic(exception)
        ? leaf('type', exception.type, false, 'ignored because exception is synthetic')
        : leaf('type', exception.type, true),
    );
  }
  if (exception.value !== undefined && exception.value !== '') {
    const normalized = normalizeMessageForGrouping(exception.value);
    const value = leaf('value', normalized, true, normalized !== exception.value ? 'stripped event-specific values' : undefined);
    if (stacktrace?.contributes) exclude(value, 'ignored because stacktrace takes precedence');
    children.push(value);
  }
  return branch('exception', children);
}

interface Node {
  exception: ExceptionValue;
  id: number;
  children: Node[];
}

function isGroup(exception: ExceptionValue): boolean {
  return exception.mechanism?.is_exception_group === true;
}

/**
 * Exception groups (Python ExceptionGroup, .NET AggregateException) arrive as a tree through
 * mechanism.exception_id/parent_id. What identifies the error is the set of distinct exceptions
 * directly inside the groups, plus the root group itself; identical siblings count once.
 * Plain chains (no ids) are used as they are.
 */
export function exceptionsForGrouping(values: ExceptionValue[], eventPlatform: string): ExceptionValue[] {
  const withIds = values.filter((value) => typeof value.mechanism?.exception_id === 'number');
  if (withIds.length !== values.length || !withIds.some(isGroup)) return values;

  const nodes = new Map<number, Node>();
  for (const exception of values) {
    const id = exception.mechanism?.exception_id ?? -1;
    nodes.set(id, { exception, id, children: [] });
  }
  const roots = [...nodes.values()].filter((node) => node.exception.mechanism?.parent_id === undefined);
  for (const node of nodes.values()) {
    const parentId = node.exception.mechanism?.parent_id;
    if (parentId !== undefined) nodes.get(parentId)?.children.push(node);
  }
  const root = roots[0];
  if (!root || roots.length !== 1) return values;

  // A malformed tree (cycle, orphan) is not trusted: group on the root alone.
  const seen = new Set<number>();
  const walk = (node: Node): boolean => {
    if (seen.has(node.id)) return false;
    seen.add(node.id);
    return node.children.every(walk);
  };
  if (!walk(root) || seen.size !== nodes.size) return [root.exception];

  const topLevel: ExceptionValue[] = [];
  const collect = (node: Node): void => {
    for (const child of [...node.children].sort((a, b) => a.id - b.id)) {
      if (isGroup(child.exception)) collect(child);
      else topLevel.push(child.exception);
    }
  };
  collect(root);

  const distinct = new Map<string, ExceptionValue>();
  for (const exception of topLevel) {
    const key = JSON.stringify(contributingValues(exceptionComponent(exception, eventPlatform, 'system')));
    if (!distinct.has(key)) distinct.set(key, exception);
  }
  // One distinct exception inside: the group wrapper adds nothing that tells errors apart.
  return distinct.size === 1 ? [...distinct.values()] : [...distinct.values(), root.exception];
}

/** The exception part of a variant: one exception, or a chain (innermost first, as sent). */
export function exceptionsComponent(values: ExceptionValue[], eventPlatform: string, variant: VariantKind): GroupingComponent {
  const selected = exceptionsForGrouping(values, eventPlatform);
  const components = selected.map((exception) => exceptionComponent(exception, eventPlatform, variant));
  if (components.length === 1 && components[0]) return components[0];
  return branch('chained-exception', components);
}
