import { contributingLeaves } from '../../src/main/pipeline/grouping/components';
import type { GroupingResult } from '../../src/shared/grouping';

/** One file of the conformance corpus: real SDK / runtime events and how they must group. */
export interface CorpusCase {
  description: string;
  /** How the events were produced (script and runtime). */
  source: string;
  /** Event payloads as the SDK sent them, by a short id. */
  events: Record<string, Record<string, unknown>>;
  /** Which events share an issue; every event appears in exactly one group. */
  expectedGroups: string[][];
  /** For the first event of each group: the contributing `component=value` leaves of its primary variant. */
  expectedContributing: Record<string, { variant: string; values: string[] }>;
}

/** The primary variant (the one whose hash comes first) and its contributing leaves. */
export function primaryContribution(result: GroupingResult): { variant: string; values: string[] } {
  const primary = result.variants.find((variant) => variant.contributes && variant.hash === result.hashes[0]);
  const values = primary?.component
    ? contributingLeaves(primary.component).map(({ id, value }) => `${id}=${value}`)
    : (primary?.values ?? []).map((value) => `fingerprint=${value}`);
  return { variant: primary?.key ?? 'none', values };
}

/** Partitions event ids into issues: two events share an issue when they share any hash. */
export function partition(results: Map<string, GroupingResult>): string[][] {
  const ids = [...results.keys()];
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (id: string): string => {
    const up = parent.get(id) ?? id;
    return up === id ? id : find(up);
  };
  const owner = new Map<string, string>();
  for (const [id, result] of results) {
    for (const hash of result.hashes) {
      const other = owner.get(hash);
      if (other === undefined) owner.set(hash, id);
      else parent.set(find(id), find(other));
    }
  }
  const groups = new Map<string, string[]>();
  for (const id of ids) groups.set(find(id), [...(groups.get(find(id)) ?? []), id]);
  return normalizeGroups([...groups.values()]);
}

export function normalizeGroups(groups: string[][]): string[][] {
  return groups.map((group) => [...group].sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}
