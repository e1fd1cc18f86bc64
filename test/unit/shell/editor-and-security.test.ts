import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredEditor, editorCommand } from '../../../src/main/sources/editor-command';
import { isTrustedSender, navigationDecision } from '../../../src/main/shell/security';
import { shellRequestHandlers } from '../../../src/main/shell/shell-requests';
import type { OpenInEditorRequest } from '../../../src/main/sources/open-in-editor';
import { RecordingPlatform } from './recording-platform';

describe('editor command', () => {
  const at = { path: '/src/app.ts', line: 12, column: 5 };

  it('uses each editor family’s way of jumping to a line', () => {
    expect(editorCommand('code --wait', at)).toEqual({ command: 'code', args: ['--wait', '--goto', '/src/app.ts:12:5'] });
    expect(editorCommand('/usr/bin/subl', at)).toEqual({ command: '/usr/bin/subl', args: ['/src/app.ts:12:5'] });
    expect(editorCommand('webstorm', at)).toEqual({ command: 'webstorm', args: ['--line', '12', '--column', '5', '/src/app.ts'] });
    expect(editorCommand('mate', { path: '/src/app.ts', line: 3 })).toEqual({ command: 'mate', args: ['-l', '3', '/src/app.ts'] });
    expect(editorCommand('emacsclient', at)).toEqual({ command: 'emacsclient', args: ['-n', '+12:5', '/src/app.ts'] });
    expect(editorCommand('gedit', at)).toEqual({ command: 'gedit', args: ['/src/app.ts'] });
  });

  it('skips terminal editors, which need a terminal the app does not have', () => {
    expect(editorCommand('nvim', at)).toBeNull();
    expect(editorCommand('  ', at)).toBeNull();
  });

  it('prefers STACKTRAY_EDITOR, then VISUAL, then EDITOR', () => {
    expect(configuredEditor({ EDITOR: 'vim', VISUAL: 'code', STACKTRAY_EDITOR: 'zed' })).toBe('zed');
    expect(configuredEditor({ EDITOR: 'vim', VISUAL: 'code' })).toBe('code');
    expect(configuredEditor({ EDITOR: 'vim' })).toBe('vim');
    expect(configuredEditor({})).toBeUndefined();
  });
});

describe('open in editor (shell request)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stacktray-editor-'));
  const file = join(dir, 'app.js');
  writeFileSync(file, 'throw new Error("x")\n');

  function handlersAnswering(status: 204 | 403 | 409) {
    const platform = new RecordingPlatform();
    const asked: OpenInEditorRequest[] = [];
    const handlers = shellRequestHandlers({
      platform,
      dataDir: dir,
      openInEditor: async (request) => {
        asked.push(request);
        return status === 204 ? { status } : { status, reason: 'refused' };
      },
    });
    return { platform, asked, handlers };
  }

  it('hands the file and position to the core’s editor opener', async () => {
    const { handlers, asked, platform } = handlersAnswering(204);
    expect(await handlers.openInEditor(file, 1, 7)).toBe(true);
    expect(asked).toEqual([{ path: file, line: 1, column: 7 }]);
    expect(platform.openedPaths).toEqual([]);
  });

  it('never falls back to the OS default application (it runs scripts and programs)', async () => {
    const { handlers, platform } = handlersAnswering(409);
    expect(await handlers.openInEditor(file, 1)).toBe(false);
    expect(await handlers.openInEditor(join(dir, 'run.bat'), 1)).toBe(false);
    expect(platform.openedPaths).toEqual([]);
  });

  it('reveals the data folder and reports the version', async () => {
    const { handlers, platform } = handlersAnswering(204);
    await handlers.revealDataFolder();
    expect(platform.openedPaths).toEqual([dir]);
    expect(await handlers.appVersion()).toBe('9.8.7');
  });
});

describe('navigation rules', () => {
  const origins = ['http://127.0.0.1:8969'];

  it('allows the app origin, sends web links to the browser, refuses the rest', () => {
    expect(navigationDecision('http://127.0.0.1:8969/#/issues/4', origins)).toBe('allow');
    expect(navigationDecision('http://127.0.0.1:8970/', origins)).toBe('open-externally');
    expect(navigationDecision('https://docs.sentry.io/platforms/', origins)).toBe('open-externally');
    expect(navigationDecision('mailto:dev@example.com', origins)).toBe('open-externally');
    expect(navigationDecision('file:///etc/passwd', origins)).toBe('deny');
    expect(navigationDecision('javascript:alert(1)', origins)).toBe('deny');
    expect(navigationDecision('not a url', origins)).toBe('deny');
  });

  it('answers IPC only from the app origin', () => {
    expect(isTrustedSender('http://127.0.0.1:8969/index.html', origins)).toBe(true);
    expect(isTrustedSender('https://evil.example/', origins)).toBe(false);
    expect(isTrustedSender('', origins)).toBe(false);
  });
});
