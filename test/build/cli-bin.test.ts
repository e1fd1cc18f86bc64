/** package.json's `bin`: the built `stacktray` command runs as a script (what npx, npm link and a global install run). */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/cli-process';

const root = resolve(__dirname, '../..');

describe('the stacktray bin', () => {
  it('points at the built CLI, which has a node shebang and its executable bit, and runs', async () => {
    assertBuilt();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ stacktray: 'out/main/cli.js' });
    const bin = join(root, pkg.bin.stacktray ?? '');
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(() => accessSync(bin, constants.X_OK)).not.toThrow();
    const { stdout } = await promisify(execFile)(bin, ['--help']);
    expect(stdout.split('\n')[0]).toBe('Usage: stacktray [<command>] [options]');
  }, 20_000);
});
