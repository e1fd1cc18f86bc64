import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedFoldersFromSetting, isInsideAllowedFolders } from '../../../src/main/sources/allowed-folders';

describe('the allowed source folders', () => {
  const home = allowedFoldersFromSetting(null, '/home/dev', posix);

  it('by default allow the home folder but not its dot-folders', () => {
    expect(isInsideAllowedFolders('/home/dev/shop/app.js', home, posix)).toBe(true);
    expect(isInsideAllowedFolders('/home/dev/shop/.git/HEAD', home, posix)).toBe(true);
    expect(isInsideAllowedFolders('/home/dev/.ssh/id_ed25519', home, posix)).toBe(false);
    expect(isInsideAllowedFolders('/home/dev/.config/Stacktray/settings.json', home, posix)).toBe(false);
    expect(isInsideAllowedFolders('/home/developer/app.js', home, posix)).toBe(false);
    expect(isInsideAllowedFolders('/etc/passwd', home, posix)).toBe(false);
  });

  it('allow exactly the folders the user chose, and refuse relative paths', () => {
    const chosen = allowedFoldersFromSetting(['/srv/app', 'relative/ignored', '/home/dev/.hidden'], '/home/dev', posix);
    expect(chosen.roots).toEqual(['/srv/app', '/home/dev/.hidden']);
    expect(isInsideAllowedFolders('/srv/app/dist/main.js', chosen, posix)).toBe(true);
    expect(isInsideAllowedFolders('/home/dev/.hidden/x.js', chosen, posix)).toBe(true);
    expect(isInsideAllowedFolders('/srv/application/x.js', chosen, posix)).toBe(false);
    expect(isInsideAllowedFolders('srv/app/x.js', chosen, posix)).toBe(false);
    expect(isInsideAllowedFolders('/home/dev/shop/app.js', chosen, posix)).toBe(false);
    expect(isInsideAllowedFolders('/srv/app/x.js', allowedFoldersFromSetting([], '/home/dev', posix), posix)).toBe(false);
  });

  it('follow Windows path rules on Windows paths', () => {
    const windows = allowedFoldersFromSetting(null, 'C:\\Users\\dev', win32);
    expect(isInsideAllowedFolders('C:\\Users\\dev\\shop\\app.js', windows, win32)).toBe(true);
    expect(isInsideAllowedFolders('C:\\Users\\dev\\.ssh\\key', windows, win32)).toBe(false);
    expect(isInsideAllowedFolders('D:\\Users\\dev\\shop\\app.js', windows, win32)).toBe(false);
  });
});
