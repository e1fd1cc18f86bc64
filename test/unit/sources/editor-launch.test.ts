import { describe, expect, it } from 'vitest';
import { spawnPlan } from '../../../src/main/sources/editor-launch';

describe('spawnPlan', () => {
  it('starts the editor directly where it can', () => {
    expect(spawnPlan({ command: 'code', args: ['--goto', '/src/a.ts:1'] }, 'linux')).toEqual({ ok: true, file: 'code', args: ['--goto', '/src/a.ts:1'] });
    expect(spawnPlan({ command: 'C:\\Zed\\zed.exe', args: ['C:\\src\\a.ts:1'] }, 'win32')).toEqual({ ok: true, file: 'C:\\Zed\\zed.exe', args: ['C:\\src\\a.ts:1'] });
  });

  it('on Windows starts .cmd shims and bare names through cmd.exe, every argument quoted (CVE-2024-27980)', () => {
    expect(spawnPlan({ command: 'code', args: ['--goto', 'C:\\my src\\a&b.ts:3'] }, 'win32', 'C:\\Windows\\system32\\cmd.exe')).toEqual({
      ok: true,
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', '""code" "--goto" "C:\\my src\\a&b.ts:3""'],
      windowsVerbatimArguments: true,
    });
  });

  it('on Windows refuses an argument cmd.exe would interpret even inside quotes', () => {
    for (const path of ['C:\\src\\"&calc.exe', 'C:\\src\\%PATH%.ts', 'C:\\src\\a^b.ts', 'C:\\src\\a!b!.ts']) {
      expect(spawnPlan({ command: 'code.cmd', args: [path] }, 'win32')).toMatchObject({ ok: false });
    }
  });
});
