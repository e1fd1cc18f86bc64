/**
 * The sentry-cli upload API against hostile uploads: a chunk whose sha1 does not match its name,
 * a bundle with `../` in an entry name, a ZIP bomb, chunks that do not add up to the checksum.
 * Each is refused with a reason, nothing is written outside the data folder, and the server
 * keeps answering. Also: list and delete a bundle, and `~/` URL + release matching.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GenMapping, addMapping, setSourceContent, toEncodedMap } from '@jridgewell/gen-mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/shared/api';
import { randomHex, startHarness, tempDataDir, type Harness } from '../../support/core-harness';
import { zipFile, type ZipEntrySpec } from '../../support/zip-writer';

let harness: Harness;
let dataDir: string;
const ORG = '/api/0/organizations/local';

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');

async function postChunks(parts: { name: string; data: Buffer; gzip?: boolean }[]): Promise<{ status: number; body: { detail?: string } }> {
  const form = new FormData();
  for (const part of parts) form.append(part.gzip ? 'file_gzip' : 'file', new Blob([part.gzip ? gzipSync(part.data) : part.data]), part.name);
  const response = await fetch(`${harness.core.url}${ORG}/chunk-upload/`, { method: 'POST', body: form, headers: { authorization: 'Bearer x' } });
  return { status: response.status, body: (await response.json()) as { detail?: string } };
}

async function upload(bundle: Buffer, extra: Record<string, unknown> = {}) {
  const chunk = sha1(bundle);
  expect((await postChunks([{ name: chunk, data: bundle, gzip: true }])).status).toBe(200);
  return harness.api<{ state: string; missingChunks: string[]; detail?: string }>(`${ORG}/artifactbundle/assemble/`, {
    method: 'POST',
    body: JSON.stringify({ checksum: chunk, chunks: [chunk], projects: [harness.project.name], ...extra }),
  });
}

function manifestBundle(files: Record<string, { url: string; type: string; headers?: Record<string, string> }>, entries: ZipEntrySpec[]): Buffer {
  return zipFile([{ name: 'manifest.json', data: JSON.stringify({ files }) }, ...entries]);
}

function filesOutside(): string[] {
  // The data folder's parent holds only what the test made there.
  return readdirSync(dirname(dataDir)).filter((name) => name.includes('stacktray-upload-evil'));
}

beforeAll(async () => {
  dataDir = realpathSync(tempDataDir('stacktray-upload-'));
  harness = await startHarness(dataDir);
});

afterAll(async () => {
  await harness?.stop();
});

describe('the sentry-cli API', () => {
  it('answers the token check and the chunk-upload options', async () => {
    expect((await harness.api('/api/0/')).body).toEqual({ version: '0', auth: { scopes: ['org:ci', 'project:releases'] }, user: null });
    const options = (await harness.api<Record<string, unknown>>(`${ORG}/chunk-upload/`)).body;
    expect(options).toMatchObject({ url: `${harness.core.url}${ORG}/chunk-upload/`, hashAlgorithm: 'sha1', compression: ['gzip'], chunkSize: 8388608 });
    // sentry-cli 2.x needs release_files to upload in chunks at all (checked by hand with 2.58.4).
    expect(options['accept']).toEqual(['release_files', 'artifact_bundles', 'artifact_bundles_v2']);
  });

  it('refuses a chunk whose data does not hash to its name (400), and stores nothing of that request', async () => {
    const good = Buffer.from('good chunk');
    const answer = await postChunks([
      { name: sha1(good), data: good },
      { name: sha1(Buffer.from('other')), data: Buffer.from('tampered') },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toBe(`chunk ${sha1(Buffer.from('other'))} hashes to ${sha1(Buffer.from('tampered'))}: refused`);
    expect(existsSync(join(dataDir, 'artifact-bundles/chunks', sha1(good)))).toBe(false);
  });

  it('asks for missing chunks, and refuses chunks that do not add up to the checksum', async () => {
    const missing = 'f'.repeat(40);
    const asked = await harness.api(`${ORG}/artifactbundle/assemble/`, { method: 'POST', body: JSON.stringify({ checksum: 'e'.repeat(40), chunks: [missing], projects: [harness.project.name] }) });
    expect(asked.body).toEqual({ state: 'not_found', missingChunks: [missing] });
    const data = Buffer.from('some bytes');
    await postChunks([{ name: sha1(data), data }]);
    const wrong = await harness.api<{ state: string; detail: string }>(`${ORG}/artifactbundle/assemble/`, {
      method: 'POST',
      body: JSON.stringify({ checksum: 'e'.repeat(40), chunks: [sha1(data)], projects: [harness.project.name] }),
    });
    expect(wrong.body.state).toBe('error');
    expect(wrong.body.detail).toBe(`the chunks hash to ${sha1(data)}, not to the checksum ${'e'.repeat(40)}`);
  });

  it('refuses a bundle with ../ in an entry name, and writes nothing outside the data folder', async () => {
    const evil = manifestBundle({ '../../stacktray-upload-evil.js.map': { url: '~/x.js.map', type: 'source_map' } }, [{ name: '../../stacktray-upload-evil.js.map', data: '{}' }]);
    const answer = await upload(evil);
    expect(answer.body.state).toBe('error');
    expect(answer.body.detail).toMatch(/^the bundle was refused: not a readable ZIP \(invalid relative path: \.\.\/\.\.\/stacktray-upload-evil\.js\.map\)$/);
    expect(filesOutside()).toEqual([]);
    expect((await harness.api(`/api/projects/${harness.project.id}/artifact-bundles`)).body).toEqual({ bundles: [] });
  });

  it('refuses a ZIP bomb before inflating it', async () => {
    const bomb = manifestBundle({ 'bomb.js.map': { url: '~/bomb.js.map', type: 'source_map' } }, [
      { name: 'bomb.js.map', data: Buffer.alloc(4 * 1024 * 1024) },
    ]);
    const answer = await upload(bomb);
    expect(answer.body).toMatchObject({ state: 'error' });
    expect(answer.body.detail).toMatch(/^the bundle was refused: bomb\.js\.map compresses \d+×: refused as a ZIP bomb$/);
    const lying = manifestBundle({ 'big.js.map': { url: '~/big.js.map', type: 'source_map' } }, [{ name: 'big.js.map', data: 'x', declaredSize: 4_000_000_000 }]);
    expect((await upload(lying)).body.detail).toBe('the bundle was refused: big.js.map is over the 64 MB limit for one file');
    expect((await harness.api('/api/info')).status).toBe(200);
  });
});

describe('a release bundle without debug IDs', () => {
  it('resolves a URL frame by `~/` path and release, is listed, and stops resolving once deleted', async () => {
    const gen = new GenMapping({ file: 'app.min.js' });
    setSourceContent(gen, 'src/pay.js', 'function pay() {\n  throw new Error("declined");\n}\n');
    addMapping(gen, { generated: { line: 1, column: 0 }, source: 'src/pay.js', original: { line: 2, column: 2 }, name: 'pay' });
    const bundle = manifestBundle(
      {
        'files/_/_/app.min.js': { url: '~/static/app.min.js', type: 'minified_source', headers: { sourcemap: 'app.min.js.map' } },
        'files/_/_/app.min.js.map': { url: '~/static/app.min.js.map', type: 'source_map' },
      },
      [
        { name: 'files/_/_/app.min.js', data: 'function a(){throw new Error("declined")}\n//# sourceMappingURL=app.min.js.map' },
        { name: 'files/_/_/app.min.js.map', data: JSON.stringify(toEncodedMap(gen)) },
      ],
    );
    expect((await upload(bundle, { version: 'shop@2.0.0' })).body).toEqual({ state: 'ok', missingChunks: [] });
    const send = async (release: string) => {
      const event = {
        event_id: randomHex(),
        platform: 'javascript',
        release,
        exception: { values: [{ type: 'Error', value: 'declined', stacktrace: { frames: [{ filename: 'https://shop.example.com/static/app.min.js?v=9', function: 'a', lineno: 1, colno: 1, in_app: true }] } }] },
      };
      expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
      return (await harness.api<EventDetail>(`/api/events/${event.event_id}`)).body.event.exception?.values[0]?.stacktrace?.frames[0];
    };
    expect(await send('shop@2.0.0')).toMatchObject({ filename: 'src/pay.js', lineno: 2, data: { resolved_with: 'release', sourcemap: 'shop@2.0.0:~/static/app.min.js' } });
    expect((await send('shop@1.0.0'))?.data).toBeUndefined();
    const listed = (await harness.api<{ bundles: { id: string; release: string; sourceMaps: number; files: number }[] }>(`/api/projects/${harness.project.id}/artifact-bundles`)).body.bundles;
    expect(listed).toMatchObject([{ id: sha1(bundle), release: 'shop@2.0.0', sourceMaps: 1, files: 2 }]);
    expect((await harness.api(`/api/projects/${harness.project.id}/artifact-bundles/${sha1(bundle)}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(join(dataDir, 'artifact-bundles', `${sha1(bundle)}.zip`))).toBe(false);
    expect((await send('shop@2.0.0'))?.data).toBeUndefined();
  });
});
