import { expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const frame = (module: string, fn: string, path: string | undefined, lineno: number | undefined, inApp: boolean) => ({
  module,
  function: fn,
  ...(path ? { filename: path, abs_path: path } : {}),
  ...(lineno ? { lineno } : {}),
  in_app: inApp,
});

test('`---> Inner`: the inner exception first, with the frames above "End of inner exception stack trace"', () => {
  expect(parseStack(readStack('dotnet-inner.txt'))).toEqual({
    runtime: 'dotnet',
    exceptions: [
      {
        type: 'System.Collections.Generic.KeyNotFoundException',
        value: "The given key 'EU' was not present in the dictionary.",
        frames: [
          frame('Shop.Checkout.TaxCalculator', 'CalculateTax', '/src/Shop/Checkout/TaxCalculator.cs', 14, true),
          frame('System.Collections.Generic.Dictionary`2', 'get_Item', undefined, undefined, false),
        ],
      },
      {
        type: 'System.InvalidOperationException',
        value: 'tax service unavailable for order 1001',
        frames: [
          frame('Shop.Api.CheckoutController', 'Settle', '/src/Shop.Api/CheckoutController.cs', 22, true),
          frame('Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor', 'Execute', undefined, undefined, false),
          frame('Shop.Checkout.CheckoutService', 'SettleAsync', '/src/Shop/Checkout/CheckoutService.cs', 27, true),
          frame('Shop.Checkout.TaxCalculator', 'CalculateTax', '/src/Shop/Checkout/TaxCalculator.cs', 18, true),
        ],
      },
    ],
  });
});

test('Windows paths and frames without file information', () => {
  expect(parseStack(readStack('dotnet-simple.txt'))?.exceptions).toEqual([{
    type: 'System.NullReferenceException',
    value: 'Object reference not set to an instance of an object.',
    frames: [
      frame('Shop.Program', '<Main>$', 'C:\\src\\Shop\\Program.cs', 5, true),
      frame('Shop.Checkout.Cart', 'get_Total', undefined, undefined, true),
    ],
  }]);
});
