/** Reads a stack text from test/fixtures/stacks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const readStack = (name: string): string => readFileSync(join(__dirname, '../../fixtures/stacks', name), 'utf8');
