import { expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const frame = (module: string, fn: string, file: string, lineno: number, inApp: boolean) => ({
  module,
  function: fn,
  filename: file,
  lineno,
  in_app: inApp,
});
const APP = 'com.acme.checkout.Checkout';

test('`Caused by:` chains, innermost first, each completed from `... N more`', () => {
  expect(parseStack(readStack('java-caused-by.txt'))).toEqual({
    runtime: 'java',
    exceptions: [
      {
        type: 'NumberFormatException',
        module: 'java.lang',
        value: 'For input string: "x7"',
        frames: [
          frame(APP, 'main', 'Checkout.java', 43, true),
          frame('java.lang.Iterable', 'forEach', 'Iterable.java', 75, false),
          frame(APP, 'settle', 'Checkout.java', 29, true),
          frame(APP, 'calculateTax', 'Checkout.java', 21, true),
          frame(APP, 'parseRate', 'Checkout.java', 16, true),
          frame('java.lang.Integer', 'parseInt', 'Integer.java', 786, false),
          frame('java.lang.Integer', 'parseInt', 'Integer.java', 668, false),
          frame('java.lang.NumberFormatException', 'forInputString', 'NumberFormatException.java', 67, false),
        ],
      },
      {
        type: 'IllegalStateException',
        module: 'java.lang',
        value: 'bad rate for region EU',
        frames: [
          frame(APP, 'main', 'Checkout.java', 43, true),
          frame('java.lang.Iterable', 'forEach', 'Iterable.java', 75, false),
          frame(APP, 'settle', 'Checkout.java', 29, true),
          frame(APP, 'calculateTax', 'Checkout.java', 23, true),
        ],
      },
      {
        type: 'Checkout$TaxServiceException',
        module: 'com.acme.checkout',
        value: 'tax service unavailable',
        frames: [
          frame(APP, 'main', 'Checkout.java', 43, true),
          frame('java.lang.Iterable', 'forEach', 'Iterable.java', 75, false),
          frame(APP, 'settle', 'Checkout.java', 31, true),
        ],
      },
    ],
  });
});

test('a single exception', () => {
  expect(parseStack(readStack('java-simple.txt'))?.exceptions).toEqual([{
    type: 'NullPointerException',
    module: 'java.lang',
    value: 'Cannot invoke "Object.toString()" because "<local1>" is null',
    frames: [frame(APP, 'main', 'Checkout.java', 49, true)],
  }]);
});

test('Kotlin, framework packages, native methods and "Exception in thread"', () => {
  const text = [
    'Exception in thread "main" kotlin.KotlinNullPointerException',
    '\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)',
    '\tat app//com.acme.shop.CartService.total(CartService.kt:27)',
  ].join('\n');
  expect(parseStack(text)).toEqual({
    runtime: 'java',
    exceptions: [{
      type: 'KotlinNullPointerException',
      module: 'kotlin',
      frames: [
        frame('com.acme.shop.CartService', 'total', 'CartService.kt', 27, true),
        frame('org.springframework.web.servlet.FrameworkServlet', 'service', 'FrameworkServlet.java', 883, false),
        { module: 'jdk.internal.reflect.NativeMethodAccessorImpl', function: 'invoke0', in_app: false },
      ],
    }],
  });
});
