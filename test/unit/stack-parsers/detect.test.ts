import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseStack } from '../../../src/main/pipeline/stack-parsers';
import { readStack } from './read-stack';

const RUNTIME_BY_PREFIX: Record<string, string> = { node: 'node', python: 'python', java: 'java', go: 'go', dotnet: 'dotnet', ruby: 'ruby' };

test.each(readdirSync(join(__dirname, '../../fixtures/stacks')).filter((name) => name.endsWith('.txt')))(
  '%s is recognized as its own runtime',
  (name) => {
    const prefix = name.split(/[-.]/)[0]!.replace(/\d+$/, '');
    expect(parseStack(readStack(name))?.runtime).toBe(RUNTIME_BY_PREFIX[prefix]);
  },
);

test.each([
  ['an empty string', ''],
  ['a message without frames', 'TaxServiceError: tax service unavailable'],
  ['prose', 'something went wrong at the checkout\nplease try again'],
  ['a frame-like line with no position', '    at somewhere over the rainbow'],
])('%s yields no stack', (_what, text) => {
  expect(parseStack(text)).toBeNull();
});
