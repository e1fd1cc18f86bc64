import { expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const file = (path: string, lineno: number, fn: string, contextLine: string) => ({
  filename: path,
  abs_path: path,
  lineno,
  in_app: true,
  function: fn,
  context_line: contextLine,
});
const ORDERS = '/tmp/stackgen/app/orders.py';
const MAIN = '/tmp/stackgen/app/main.py';

test('a simple traceback; 3.11 caret lines are not source', () => {
  expect(parseStack(readStack('python-simple.txt'))).toEqual({
    runtime: 'python',
    exceptions: [{
      type: 'KeyError',
      value: "'total'",
      frames: [file(MAIN, 6, 'run', 'fn(1001)'), file(MAIN, 15, 'simple', 'return {}["total"]')],
    }],
  });
});

test('`raise … from`: the cause first, the raised exception (module split off) last', () => {
  expect(parseStack(readStack('python-direct-cause.txt'))?.exceptions).toEqual([
    {
      type: 'KeyError',
      value: "'rate for region EU-1001'",
      frames: [
        file(ORDERS, 11, 'settle', 'return calculate_tax(order_id)'),
        file(ORDERS, 6, 'calculate_tax', 'raise KeyError("rate for region EU-%d" % order_id)'),
      ],
    },
    {
      type: 'TaxServiceError',
      module: 'orders',
      value: 'tax service unavailable',
      frames: [file(MAIN, 6, 'run', 'fn(1001)'), file(ORDERS, 13, 'settle', 'raise TaxServiceError("tax service unavailable") from err')],
    },
  ]);
});

test('"During handling of the above exception" chains the same way', () => {
  const exceptions = parseStack(readStack('python-during-handling.txt'))?.exceptions ?? [];
  expect(exceptions.map((exception) => [exception.type, exception.value, exception.frames.map((frame) => `${frame.function}:${frame.lineno}`)])).toEqual([
    ['KeyError', "'rate for region EU-1001'", ['settle_implicit:18', 'calculate_tax:6']],
    ['TaxServiceError', 'tax lookup failed for order 1001', ['run:6', 'settle_implicit:20']],
  ]);
});

test('site-packages, dist-packages and the standard library are not in-app', () => {
  const text = [
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3.11/threading.py", line 975, in run',
    '  File "/srv/venv/lib/python3.11/site-packages/flask/app.py", line 880, in full_dispatch_request',
    '  File "/usr/lib/python3/dist-packages/requests/api.py", line 59, in request',
    '  File "<frozen runpy>", line 88, in _run_code',
    '  File "/srv/app/views.py", line 12, in checkout',
    'ValueError: bad total',
  ].join('\n');
  expect(parseStack(text)?.exceptions[0]?.frames.map((frame) => frame.in_app)).toEqual([false, false, false, false, true]);
});
