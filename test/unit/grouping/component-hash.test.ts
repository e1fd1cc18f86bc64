/**
 * A variant's hash reads a shared (frozen) stack from a copied MD5 state instead of hashing its
 * values again: the digest must be exactly MD5 over all contributing values, wherever frozen and
 * non-contributing parts sit in the tree, and the hashes real events get must not change.
 */
import { describe, expect, it } from 'vitest';
import { branch, contributingValues, leaf, md5Of, md5OfComponent } from '../../../src/main/pipeline/grouping/components';
import { groupEvent } from '../../../src/main/pipeline/grouping/index';
import type { GroupingComponent } from '../../../src/shared/grouping';

function frozen(component: GroupingComponent): GroupingComponent {
  for (const child of component.values) if (typeof child !== 'string') frozen(child);
  Object.freeze(component.values);
  return Object.freeze(component);
}

const stack = (name: string): GroupingComponent =>
  frozen(branch('stacktrace', [branch('frame', [leaf('module', `${name}-module`, true), leaf('function', `${name}ünïcode`, true), leaf('lineno', '12', false)])]));

describe('component hash', () => {
  it('equals MD5 over the contributing values, frozen parts first, in the middle, excluded or absent', () => {
    const shared = stack('a');
    const trees = [
      branch('app', [branch('exception', [shared, leaf('type', 'TypeError', true), leaf('value', 'x', false)])]),
      branch('app', [branch('exception', [shared, leaf('type', 'TypeError', true)])]),
      branch('app', [branch('exception', [leaf('type', 'RangeError', true), shared, stack('b')])]),
      branch('app', [branch('chained-exception', [branch('exception', [stack('c'), leaf('type', 'E1', true)]), branch('exception', [shared, leaf('type', 'E2', true)])])]),
      branch('app', [branch('exception', [frozen(branch('stacktrace', [leaf('function', 'f', false)])), leaf('type', 'TypeError', true)])]),
      branch('app', [leaf('type', 'Bare', true)]),
      branch('app', []),
    ];
    for (const tree of trees) {
      for (const extra of [[], ['checkout', '✓']]) {
        expect(md5OfComponent(tree, extra)).toBe(md5Of([...contributingValues(tree), ...extra]));
        // The second time reads the primed state.
        expect(md5OfComponent(tree, extra)).toBe(md5Of([...contributingValues(tree), ...extra]));
      }
    }
  });

  it('gives a repeated event the hashes of its first grouping', () => {
    const event = () => ({
      event_id: 'c'.repeat(32),
      timestamp: 1,
      received: 1,
      platform: 'node',
      level: 'error' as const,
      exception: { values: [{ type: 'TypeError', value: 'Order 2001 has no total', stacktrace: { frames: [{ filename: '/app/orders.js', module: 'orders', function: 'total', lineno: 3, in_app: true, context_line: 'return order.total;' }, { filename: 'node:internal/timers', module: 'timers', function: 'listOnTimeout', in_app: false }] } }] },
    });
    const first = groupEvent(event());
    const again = groupEvent(event());
    expect(again.hashes).toEqual(first.hashes);
    for (const variant of again.variants) {
      if (variant.component && variant.hash) expect(variant.hash).toBe(md5Of(contributingValues(variant.component)));
    }
  });
});
