import { describe, expect, it } from 'vitest';
import { lookAlikeIds, showsNew, sparklineScale, timesTooltip } from '../../../src/renderer/lib/list-signals';

const NOW = Date.parse('2026-12-06T12:00:00Z');

describe('list signals', () => {
  it('marks rows that share project, title and culprit with another row', () => {
    const row = (id: number, projectId: number, title: string, culprit: string) => ({ id, projectId, title, culprit });
    const ids = lookAlikeIds([
      row(1, 1, 'Error: out of stock', 'inventoryLookup(app.js)'),
      row(2, 1, 'Error: out of stock', 'inventoryLookup(app.js)'),
      row(3, 2, 'Error: out of stock', 'inventoryLookup(app.js)'),
      row(4, 1, 'Error: out of stock', 'checkout(app.js)'),
    ]);
    expect([...ids].sort()).toEqual([1, 2]);
  });

  it('scales every sparkline against the busiest hour on screen', () => {
    expect(sparklineScale([{ histogram24h: [0, 1, 0] }, { histogram24h: [209, 3] }, {}])).toBe(209);
    expect(sparklineScale([{ histogram24h: [0, 0] }])).toBe(1);
  });

  it('shows "New" for 24 hours after the first event, and not once the issue was opened', () => {
    const issue = { id: 7, isNew: true, firstSeen: '2026-12-06T01:00:00Z' };
    expect(showsNew(issue, NOW, new Set())).toBe(true);
    expect(showsNew(issue, NOW, new Set([7]))).toBe(false);
    expect(showsNew(issue, NOW + 13 * 3_600_000, new Set())).toBe(false);
    expect(showsNew({ ...issue, isNew: false }, NOW, new Set())).toBe(false);
  });

  it('puts the first seen time on hover only when it differs from the last', () => {
    expect(timesTooltip({ firstSeen: '2026-12-06T11:59:58Z', lastSeen: '2026-12-06T11:59:58Z' }, NOW)).toMatch(/^Last seen just now \(.+\), the only time$/);
    const both = timesTooltip({ firstSeen: '2026-12-03T12:00:00Z', lastSeen: '2026-12-06T11:00:00Z' }, NOW).split('\n');
    expect(both[0]).toMatch(/^Last seen 1h ago \(/);
    expect(both[1]).toMatch(/^First seen 3d ago \(/);
  });
});
