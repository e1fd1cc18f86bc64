import { expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const frame = (module: string | undefined, fn: string, path: string, lineno: number, inApp: boolean) => ({
  function: fn,
  filename: path,
  abs_path: path,
  lineno,
  ...(module ? { module } : {}),
  in_app: inApp,
});

test('an unrecovered panic: the message, then the panicking goroutine oldest first', () => {
  expect(parseStack(readStack('go-panic.txt'))).toEqual({
    runtime: 'go',
    exceptions: [{
      type: 'panic',
      value: 'tax service unavailable for order 1001',
      frames: [
        frame('main', 'main', '/tmp/stackgen/go2/main.go', 6, true),
        frame('example.com/shop/checkout', 'Settle', '/tmp/stackgen/go2/checkout/tax.go', 16, true),
        frame('example.com/shop/checkout', 'CalculateTax', '/tmp/stackgen/go2/checkout/tax.go', 10, true),
      ],
    }],
  });
});

test('debug.Stack() in a recover: runtime frames are not in-app', () => {
  expect(parseStack(readStack('go-debug-stack.txt'))?.exceptions).toEqual([{
    frames: [
      frame('main', 'main', '/tmp/stackgen/go/main.go', 16, true),
      frame('example.com/shop/checkout', 'Settle', '/tmp/stackgen/go/checkout/tax.go', 16, true),
      frame('example.com/shop/checkout', 'CalculateTax', '/tmp/stackgen/go/checkout/tax.go', 10, true),
      frame(undefined, 'panic', '/usr/lib/go-1.19/src/runtime/panic.go', 884, false),
      frame('main', 'main.func1', '/tmp/stackgen/go/main.go', 13, true),
      frame('runtime/debug', 'Stack', '/usr/lib/go-1.19/src/runtime/debug/stack.go', 24, false),
    ],
  }]);
});

test('methods, standard library packages, module cache paths and "created by"', () => {
  const text = [
    'goroutine 7 [running]:',
    'net/http.(*conn).serve(0xc000230000, {0x7d3a60, 0xc0001a2000})',
    '\t/usr/local/go/src/net/http/server.go:2009 +0x5f4',
    'github.com/acme/shop/api.(*Server).Checkout(...)',
    '\t/home/dev/go/pkg/mod/github.com/acme/shop@v1.2.0/api/server.go:41',
    'created by net/http.(*Server).Serve in goroutine 1',
    '\t/usr/local/go/src/net/http/server.go:3086 +0x5cb',
  ].join('\n');
  expect(parseStack(text)?.exceptions[0]?.frames.map((frame) => [frame.module, frame.function, frame.lineno, frame.in_app])).toEqual([
    ['net/http', '(*Server).Serve', 3086, false],
    ['github.com/acme/shop/api', '(*Server).Checkout', 41, false],
    ['net/http', '(*conn).serve', 2009, false],
  ]);
});
