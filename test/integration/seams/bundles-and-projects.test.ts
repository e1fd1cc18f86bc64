/**
 * Where uploaded artifact bundles meet projects, retention and forwarding: deleting a project
 * takes its bundles and its forward queue with it (its id may be given out again), and lowering
 * the size budget trims bundles at the next retention pass, not at the next upload or restart.
 * Real core on 127.0.0.1:0, the sentry-cli upload API, the SQLite file read back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactBundle } from '../../../src/shared/api';
import type { Project } from '../../../src/shared/project';
import type { RefusalList } from '../../../src/shared/refusal';
import { errorEvent, randomHex, startHarness, waitFor, type Harness } from '../../support/core-harness';
import { zipFile } from '../../support/zip-writer';

const ORG = '/api/0/organizations/local';
let harness: Harness;

beforeEach(async () => {
  harness = await startHarness(undefined, { forwarding: { retryBaseMs: 60_000, retryMaxMs: 60_000, timeoutMs: 1_000 } });
});
afterEach(async () => {
  await harness.stop();
});

/** A bundle holding one map of `mapBytes` incompressible bytes. */
function bundleOf(mapBytes = 1024): Buffer {
  return zipFile([
    { name: 'manifest.json', data: JSON.stringify({ files: { 'files/_/_/app.min.js.map': { url: '~/app.min.js.map', type: 'source_map' } } }) },
    { name: 'files/_/_/app.min.js.map', data: randomBytes(mapBytes) },
  ]);
}

async function upload(projectName: string, bundle = bundleOf()): Promise<string> {
  const checksum = createHash('sha1').update(bundle).digest('hex');
  const form = new FormData();
  form.append('file_gzip', new Blob([gzipSync(bundle)]), checksum);
  expect((await fetch(`${harness.core.url}${ORG}/chunk-upload/`, { method: 'POST', body: form, headers: { authorization: 'Bearer x' } })).status).toBe(200);
  const assembled = await harness.api<{ state: string }>(`${ORG}/artifactbundle/assemble/`, {
    method: 'POST',
    body: JSON.stringify({ checksum, chunks: [checksum], projects: [projectName] }),
  });
  expect(assembled.body.state).toBe('ok');
  return checksum;
}

const bundlesOf = async (projectId: number) => (await harness.api<{ bundles: ArtifactBundle[] }>(`/api/projects/${projectId}/artifact-bundles`)).body.bundles;
const zipsOnDisk = () => readdirSync(join(harness.dataDir, 'artifact-bundles')).filter((name) => name.endsWith('.zip')).sort();

function queuedFor(projectId: number): number {
  const db = new Database(join(harness.dataDir, 'stacktray.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM forward_queue WHERE project_id = ?').get(projectId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('deleting a project', () => {
  it('removes its bundles, its forward queue and its refusals; a project given the same id later starts with neither', async () => {
    const web = (await harness.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'web' }) })).body;
    const own = await upload('web');
    // An upstream nobody answers on: the envelope waits in the queue.
    const unreachable = `http://${'a'.repeat(32)}@127.0.0.1:9/1`;
    expect((await harness.api(`/api/projects/${web.id}`, { method: 'PATCH', body: JSON.stringify({ upstreamDsn: unreachable }) })).status).toBe(200);
    const response = await harness.sendEnvelope([{ header: { type: 'event' }, payload: errorEvent({ eventId: randomHex() }) }], web.id);
    expect(response.status).toBe(200);
    expect(queuedFor(web.id)).toBe(1);
    expect((await bundlesOf(web.id)).map((bundle) => bundle.id)).toEqual([own]);
    expect(zipsOnDisk()).toEqual([`${own}.zip`]);

    const wrongKey = await fetch(`${harness.core.url}/api/${web.id}/store/?sentry_key=${'f'.repeat(32)}`, { method: 'POST', body: JSON.stringify(errorEvent({})) });
    expect(wrongKey.status).toBe(403);
    expect((await harness.api<RefusalList>('/api/refusals')).body.refusals.map((refusal) => refusal.projectId)).toEqual([web.id]);

    expect((await harness.api(`/api/projects/${web.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(queuedFor(web.id)).toBe(0);
    expect((await harness.api<RefusalList>('/api/refusals')).body.refusals).toEqual([]);
    expect(zipsOnDisk()).toEqual([]);

    const next = (await harness.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'next' }) })).body;
    expect(next.id).toBe(web.id);
    expect(await bundlesOf(next.id)).toEqual([]);
    expect(next.forwarding).toBeNull();
  });

  it('keeps a bundle another project shares', async () => {
    const web = (await harness.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'web' }) })).body;
    const bundle = bundleOf();
    const shared = await upload('web', bundle);
    // The same bundle uploaded again for the default project: one file, two projects.
    expect(await upload(harness.project.name, bundle)).toBe(shared);
    expect((await harness.api(`/api/projects/${web.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await bundlesOf(harness.project.id)).map((bundle) => bundle.id)).toEqual([shared]);
    expect(zipsOnDisk()).toEqual([`${shared}.zip`]);
  });
});

describe('retention by bytes', () => {
  it('trims bundles to a quarter of a lowered database cap at the next pass, oldest first', async () => {
    const older = await upload(harness.project.name, bundleOf(1_500_000));
    const newer = await upload(harness.project.name, bundleOf(1_500_000));
    expect(zipsOnDisk()).toEqual([`${older}.zip`, `${newer}.zip`].sort());
    const settings = (await harness.api<{ retention: Record<string, number> }>('/api/settings')).body;
    // 10 MB: bundles may take 2.5 MB, and the two take 3.
    const lowered = await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ retention: { ...settings.retention, maxDatabaseMb: 10 } }) });
    expect(lowered.status).toBe(200);
    await waitFor(() => zipsOnDisk().length === 1);
    expect(zipsOnDisk()).toEqual([`${newer}.zip`]);
    expect((await bundlesOf(harness.project.id)).map((bundle) => bundle.id)).toEqual([newer]);
  });

  it('keeps the forward queue within a quarter of the database cap, dropping the oldest', async () => {
    const settings = (await harness.api<{ retention: Record<string, number> }>('/api/settings')).body;
    expect((await harness.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ retention: { ...settings.retention, maxDatabaseMb: 10 } }) })).status).toBe(200);
    const unreachable = `http://${'a'.repeat(32)}@127.0.0.1:9/1`;
    expect((await harness.api(`/api/projects/${harness.project.id}`, { method: 'PATCH', body: JSON.stringify({ upstreamDsn: unreachable }) })).status).toBe(200);
    // Six events of ~600 KB: 3.6 MB, over the 2.5 MB the queue may take (the forwarding setting says 100 MB).
    for (let i = 0; i < 6; i++) {
      const event = { ...errorEvent({ eventId: randomHex() }), extra: { blob: randomBytes(450_000).toString('base64') } };
      expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
    }
    const forwarding = (await harness.api<{ projects: Project[] }>('/api/projects')).body.projects[0]?.forwarding;
    expect(forwarding?.queuedBytes).toBeLessThanOrEqual(2.5 * 1024 * 1024);
    expect(forwarding?.queued).toBe(4);
    expect(forwarding?.droppedOverflow).toBe(2);
  });
});
