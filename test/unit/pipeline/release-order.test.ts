import { describe, expect, it } from 'vitest';
import { isRegression, type LifecycleState } from '../../../src/main/pipeline/lifecycle';
import { releaseOrder, semverOrder } from '../../../src/main/pipeline/release-order';
import { GitReleaseStep, inAppFiles, withMembers, type GitFacts } from '../../../src/main/pipeline/git-release';
import type { IncomingEvent } from '../../../src/main/ingest/ingest-sink';
import type { SentryEvent } from '../../../src/shared/event';

const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const C0 = '0'.repeat(40);
const resolvedIn = (release: string | null): LifecycleState => ({
  status: 'resolved', resolvedAt: 100, resolvedInNextRelease: true, resolvedInRelease: release, isRegression: false,
});

describe('release order', () => {
  it('compares semver, pre-releases before releases, and only within one package', () => {
    expect(semverOrder('1.2.10', '1.2.9')).toBe(true);
    expect(semverOrder('1.2.9', '1.2.10')).toBe(false);
    expect(semverOrder('app@2.0.0', 'app@1.9.9')).toBe(true);
    expect(semverOrder('2.0.0-rc.1', '2.0.0')).toBe(false);
    expect(semverOrder('2.0.0', '2.0.0-rc.1')).toBe(true);
    expect(semverOrder('2.0.0-rc.10', '2.0.0-rc.9')).toBe(true);
    expect(semverOrder('v1.0.1', '1.0.0')).toBe(true);
    expect(semverOrder('web@2.0.0', 'api@1.0.0')).toBeNull();
    expect(semverOrder('nightly', '1.0.0')).toBeNull();
  });

  it('asks the commit graph first, then semver', () => {
    const graph = (candidate: string, resolved: string) => (candidate === C2 && resolved === C1 ? true : candidate === C0 && resolved === C1 ? false : null);
    const order = releaseOrder(graph);
    expect(order(C2, C1)).toBe(true);
    expect(order(C0, C1)).toBe(false);
    expect(order(C1, C1)).toBe(false);
    expect(order('1.1.0', '1.0.0')).toBe(true);
    expect(order('abc', 'def')).toBeNull();
  });

  it('regresses an issue resolved in the next release only for a newer release; unknown order falls back to first seen', () => {
    const order = releaseOrder((candidate, resolved) => (candidate === C2 && resolved === C1 ? true : candidate === C0 ? false : null));
    expect(isRegression(resolvedIn(C1), { release: C1, releaseFirstSeen: 50 }, order)).toBe(false);
    expect(isRegression(resolvedIn(C1), { release: C2, releaseFirstSeen: 50 }, order)).toBe(true);
    // Older, though first seen only now (an old branch checked out after the resolution).
    expect(isRegression(resolvedIn(C1), { release: C0, releaseFirstSeen: null }, order)).toBe(false);
    expect(isRegression(resolvedIn('1.2.0'), { release: '1.1.9', releaseFirstSeen: null }, order)).toBe(false);
    expect(isRegression(resolvedIn('1.2.0'), { release: '1.3.0', releaseFirstSeen: 50 }, order)).toBe(true);
    expect(isRegression(resolvedIn('alpha'), { release: 'beta', releaseFirstSeen: 150 }, order)).toBe(true);
    expect(isRegression(resolvedIn('alpha'), { release: 'beta', releaseFirstSeen: 50 }, order)).toBe(false);
    expect(isRegression(resolvedIn(null), { release: 'beta', releaseFirstSeen: null }, order)).toBe(true);
  });
});

describe('release from git (pure parts)', () => {
  const frame = (file: string, inApp = true) => ({ abs_path: file, filename: file, in_app: inApp });
  const event = (frames: ReturnType<typeof frame>[], release?: string): SentryEvent => ({
    event_id: 'e', timestamp: 1, received: 1, platform: 'node', level: 'error', ...(release && { release }),
    exception: { values: [{ type: 'Error', stacktrace: { frames } }] },
  });

  it('lists local in-app files, newest frame first, one per folder', () => {
    expect(inAppFiles(event([frame('/srv/a/x.js'), frame('/srv/lib/y.js', false), frame('http://cdn/z.js'), frame('/srv/a/w.js'), frame('/srv/b/v.js')])))
      .toEqual(['/srv/b/v.js', '/srv/a/w.js']);
    expect(inAppFiles(event([frame('file:///srv/c/u.js'), frame('relative/t.js'), frame('//net/share/s.js')]))).toEqual(['/srv/c/u.js']);
  });

  it('reads resolved frames first and the frames as sent after them', () => {
    const resolved = event([frame('/srv/app/src/cart.js')]);
    const values = resolved.exception?.values ?? [];
    values[0] = { ...values[0]!, raw_stacktrace: { frames: [frame('/srv/app/dist/app.min.js')] } };
    expect(inAppFiles(resolved)).toEqual(['/srv/app/src/cart.js', '/srv/app/dist/app.min.js']);
    // A map whose sources are URLs (webpack://): only the bundle is a local file.
    values[0] = { ...values[0]!, stacktrace: { frames: [frame('webpack://app/src/cart.js')] } };
    expect(inAppFiles(resolved)).toEqual(['/srv/app/dist/app.min.js']);
  });

  it('appends members to a payload so that they win when parsed', () => {
    expect(JSON.parse(withMembers('{"release":null,"a":1}\n', { release: 'r', tags: [['k', 'v']] }))).toEqual({ release: 'r', a: 1, tags: [['k', 'v']] });
    expect(withMembers('{ }', { release: 'r' })).toBe('{ "release":"r"}');
    expect(withMembers('[1]', { release: 'r' })).toBe('[1]');
  });

  it('derives from the cache at once, and waits only for folders not seen before', async () => {
    const known = new Map<string, GitFacts | null>([['/srv/b/v.js', { sha: C1, branch: 'main', dirty: false }]]);
    const lookedUp: string[] = [];
    const step = new GitReleaseStep({
      cached: (file) => known.get(file),
      lookup: async (file) => {
        lookedUp.push(file);
        known.set(file, file === '/srv/new/n.js' ? { sha: C2, branch: null, dirty: true } : null);
      },
    });
    const incoming = (e: SentryEvent): IncomingEvent => ({ event: e, payload: JSON.stringify({ event_id: 'e' }), attachments: [] });
    const hit = incoming(event([frame('/srv/b/v.js')]));
    expect(step.apply([hit])).toBeUndefined();
    expect(hit.event).toMatchObject({ release: C1, tags: [['git.branch', 'main'], ['git.dirty', 'false']] });
    expect(JSON.parse(hit.payload)).toMatchObject({ release: C1 });

    const sent = incoming(event([frame('/srv/b/v.js')], '1.0.0'));
    expect(step.apply([sent])).toBeUndefined();
    expect(sent.event.release).toBe('1.0.0');

    const miss = incoming(event([frame('/srv/b/v.js'), frame('/srv/new/n.js')]));
    const waiting = step.apply([miss]);
    expect(waiting).toBeInstanceOf(Promise);
    await waiting;
    expect(lookedUp).toEqual(['/srv/new/n.js']);
    expect(miss.event).toMatchObject({ release: C2, tags: [['git.dirty', 'true']] });
  });
});
