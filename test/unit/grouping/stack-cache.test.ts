/**
 * Stacks are built once per distinct frame list and shared (frozen) by every event with that
 * list: the shared result must be exactly what a fresh build gives, and any difference in a
 * field grouping reads must reach a different entry.
 */
import { describe, expect, it } from 'vitest';
import { groupEvent } from '../../../src/main/pipeline/grouping/index';
import type { SentryEvent, StackFrame } from '../../../src/shared/event';

function errorEvent(frames: StackFrame[], type = 'TypeError'): SentryEvent {
  return {
    event_id: 'c'.repeat(32),
    timestamp: 1,
    received: 1,
    platform: 'node',
    level: 'error',
    exception: { values: [{ type, value: 'Order 2001 has no total', stacktrace: { frames } }] },
  };
}

const frames = (): StackFrame[] => [
  { filename: 'node:internal/process/task_queues', module: 'task_queues', function: 'process.processTicksAndRejections', lineno: 95, in_app: false },
  { filename: '/app/lib/checkout.js', module: 'checkout', function: 'checkoutBatch', lineno: 12, in_app: true, context_line: '  processOrder(id);' },
  { filename: '/app/lib/orders.js', module: 'orders', function: 'computeOrderTotal', lineno: 30, in_app: true },
];

describe('stack cache', () => {
  it('gives a repeated frame list the same hashes and components as its first build', () => {
    const first = groupEvent(errorEvent(frames()));
    const again = groupEvent(errorEvent(frames()));
    expect(again).toEqual(first);
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(first)));
  });

  it('shares built stacks frozen, so no later step can change what other events see', () => {
    const result = groupEvent(errorEvent(frames()));
    const app = result.variants.find((variant) => variant.key === 'app')?.component;
    const exception = app?.values[0];
    const stack = typeof exception === 'object' ? exception.values[0] : undefined;
    expect(typeof stack === 'object' && stack.id).toBe('stacktrace');
    expect(Object.isFrozen(stack)).toBe(true);
  });

  it('tells apart frame lists that differ in any field grouping reads', () => {
    const base = groupEvent(errorEvent(frames())).hashes;
    const changes: ((list: StackFrame[]) => void)[] = [
      (list) => (list[1]!.function = 'checkoutBatchX'),
      (list) => (list[2]!.module = 'orders2'),
      (list) => (list[2]!.in_app = false),
      (list) => (list[1]!.context_line = '  processOrder(id, true);'),
      (list) => list.push({ filename: '/app/lib/more.js', function: 'more', in_app: true }),
    ];
    for (const change of changes) {
      const list = frames();
      change(list);
      expect(groupEvent(errorEvent(list)).hashes).not.toEqual(base);
    }
    // Line numbers never group: a moved line is the same stack.
    const moved = frames();
    moved[2]!.lineno = 31;
    expect(groupEvent(errorEvent(moved)).hashes).toEqual(base);
  });

  it('cannot be fooled by values that contain what a key uses as separators', () => {
    const a = frames();
    a[2]!.function = 'x|1:y';
    a[2]!.filename = 'z';
    const b = frames();
    b[2]!.function = 'x';
    b[2]!.filename = 'y|1:z';
    expect(groupEvent(errorEvent(a)).hashes).not.toEqual(groupEvent(errorEvent(b)).hashes);
  });

  it('keeps apart stacks whose fields differ only in content, not length, used in turn', () => {
    const swapped = (): StackFrame[] => {
      const list = frames();
      list[2]!.module = 'ordesr';
      list[1]!.context_line = '  processOrdre(id);';
      return list;
    };
    const first = groupEvent(errorEvent(frames()));
    const second = groupEvent(errorEvent(swapped()));
    expect(second.hashes).not.toEqual(first.hashes);
    for (let round = 0; round < 3; round++) {
      expect(groupEvent(errorEvent(frames()))).toEqual(first);
      expect(groupEvent(errorEvent(swapped()))).toEqual(second);
    }
  });

  it('keeps the exception type apart when the stack is shared (a storm of issues from one place)', () => {
    const hashes = new Set(Array.from({ length: 300 }, (_, n) => groupEvent(errorEvent(frames(), `TypeError${n}`)).hashes[0]));
    expect(hashes.size).toBe(300);
  });
});
