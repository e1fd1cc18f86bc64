import { expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const LIB = '/tmp/stackgen/ruby/lib/checkout.rb';
const frame = (path: string, lineno: number, fn: string, inApp = true, module?: string) => ({
  filename: path,
  abs_path: path,
  lineno,
  in_app: inApp,
  ...(module ? { module } : {}),
  function: fn,
});
const CALL_PATH = [frame('main.rb', 3, '<main>'), frame(LIB, 13, 'settle'), frame(LIB, 13, 'map'), frame(LIB, 13, 'block in settle')];

test('full_message (what OTel Ruby records): the cause first, the raised exception last', () => {
  expect(parseStack(readStack('ruby-full-message.txt'))).toEqual({
    runtime: 'ruby',
    exceptions: [
      { type: 'KeyError', value: 'key not found: "EU"', frames: [...CALL_PATH, frame(LIB, 7, 'calculate_tax'), frame(LIB, 7, 'fetch')] },
      {
        type: 'Shop::TaxServiceError',
        value: 'tax service unavailable for order 1001',
        frames: [...CALL_PATH, frame(LIB, 5, 'calculate_tax'), frame(LIB, 9, 'rescue in calculate_tax')],
      },
    ],
  });
});

test('a bare backtrace has frames and no type', () => {
  expect(parseStack(readStack('ruby-backtrace.txt'))?.exceptions).toEqual([
    { frames: [...CALL_PATH, frame(LIB, 5, 'calculate_tax'), frame(LIB, 9, 'rescue in calculate_tax')] },
  ]);
});

test("Ruby 3.4's 'Class#method' labels split into module and function; gems are not in-app", () => {
  const raised = parseStack(readStack('ruby34-full-message.txt'))?.exceptions.at(-1);
  const SRC = '/srv/shop/lib/checkout.rb';
  expect(raised).toEqual({
    type: 'Shop::TaxServiceError',
    value: 'tax service unavailable for order 1001',
    frames: [
      frame('main.rb', 3, '<main>'),
      frame('/usr/lib/ruby/gems/3.4.0/gems/rack-3.1.8/lib/rack/builder.rb', 277, 'call', false, 'Rack::Builder'),
      frame(SRC, 13, 'settle', true, 'Shop::Checkout'),
      frame(SRC, 13, 'map', true, 'Array'),
      frame(SRC, 13, 'block in settle', true, 'Shop::Checkout'),
      frame(SRC, 9, 'calculate_tax', true, 'Shop::Checkout'),
    ],
  });
});
