import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedFoldersFromSetting } from '../../../src/main/sources/allowed-folders';
import { confinePath } from '../../../src/main/sources/confine-path';

describe('confining a path from event data', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'stacktray-confine-')));
  const allowed = join(base, 'code');
  const outside = join(base, 'secret');
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(join(allowed, 'app.js'), 'throw new Error("x");\n');
  writeFileSync(join(outside, 'key'), 'secret\n');
  symlinkSync(join(outside, 'key'), join(allowed, 'link-out.js'));
  const folders = allowedFoldersFromSetting([allowed], base);

  it('gives the real path of a file inside the allowed folders', async () => {
    const result = await confinePath(join(allowed, 'app.js'), folders);
    expect(result).toMatchObject({ ok: true, realPath: join(allowed, 'app.js'), size: 22 });
  });

  it('refuses a way out through .. or a symlink, a missing file, a folder and a relative path', async () => {
    expect(await confinePath(join(allowed, '..', 'secret', 'key'), folders)).toEqual({
      ok: false,
      reason: `${join(allowed, '..', 'secret', 'key')} is outside the allowed source folders`,
    });
    expect(await confinePath(join(allowed, 'link-out.js'), folders)).toEqual({
      ok: false,
      reason: `${join(allowed, 'link-out.js')} is outside the allowed source folders`,
    });
    expect(await confinePath(join(allowed, 'gone.js'), folders)).toEqual({ ok: false, reason: `${join(allowed, 'gone.js')} does not exist`, missing: true });
    expect(await confinePath(allowed, folders)).toEqual({ ok: false, reason: `${allowed} is not a file` });
    expect(await confinePath('code/app.js', folders)).toEqual({ ok: false, reason: 'code/app.js is not an absolute path' });
    expect(await confinePath('//server/share/app.js', folders)).toEqual({ ok: false, reason: '//server/share/app.js is a network path' });
  });
});
