import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/shared/settings';
import { startHarness, type Harness } from '../../support/core-harness';

describe('the sourceFolders and editor settings', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.stop());

  it('default to the home folder (null) and the environment editor, and keep what is set', async () => {
    const initial = await harness.api<Settings>('/api/settings');
    expect(initial.body.sourceFolders).toBeNull();
    expect(initial.body.editor).toBe('');
    const patched = await harness.api<Settings>('/api/settings', {
      method: 'PATCH',
      body: JSON.stringify({ sourceFolders: ['/srv/app', '/home/dev/shop'], editor: 'code --goto' }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.sourceFolders).toEqual(['/srv/app', '/home/dev/shop']);
    expect(patched.body.editor).toBe('code --goto');
    const reset = await harness.api<Settings>('/api/settings', { method: 'PATCH', body: JSON.stringify({ sourceFolders: null }) });
    expect(reset.body.sourceFolders).toBeNull();
  });

  it('refuse a relative folder with a one-line reason, and keep the setting as it was', async () => {
    const refused = await harness.api<{ detail: string }>('/api/settings', {
      method: 'PATCH',
      body: JSON.stringify({ sourceFolders: ['/srv/app', 'src'] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe('sourceFolders: src is not an absolute path');
    expect((await harness.api<Settings>('/api/settings')).body.sourceFolders).toBeNull();
  });
});
