import { describe, expect, it } from 'vitest';
import { applyEvent, applyStatusRequest, isRegression, type LifecycleState } from '../../../src/main/pipeline/lifecycle';

const unresolved: LifecycleState = { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: false };
const NOW = 1_800_000_000;

describe('status requests', () => {
  it('resolves plainly, in next release, ignores and unresolves', () => {
    expect(applyStatusRequest(unresolved, { status: 'resolved' }, NOW)).toEqual({
      status: 'resolved', resolvedAt: NOW, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: false,
    });
    expect(applyStatusRequest(unresolved, { status: 'resolved', inNextRelease: true }, NOW)).toEqual({
      status: 'resolved', resolvedAt: NOW, resolvedInNextRelease: true, resolvedInRelease: null, isRegression: false,
    });
    expect(applyStatusRequest(unresolved, { status: 'ignored' }, NOW)).toEqual({
      status: 'ignored', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: false,
    });
    const resolved = applyStatusRequest(unresolved, { status: 'resolved' }, NOW);
    expect(applyStatusRequest(resolved, { status: 'unresolved' }, NOW + 1)).toEqual(unresolved);
  });

  it('clears the regression mark when resolved again', () => {
    const regressed: LifecycleState = { ...unresolved, isRegression: true };
    expect(applyStatusRequest(regressed, { status: 'resolved' }, NOW).isRegression).toBe(false);
    expect(applyStatusRequest(regressed, { status: 'unresolved' }, NOW).isRegression).toBe(true);
  });
});

describe('regression', () => {
  const resolved = applyStatusRequest(unresolved, { status: 'resolved' }, NOW);
  const nextRelease = applyStatusRequest(unresolved, { status: 'resolved', inNextRelease: true }, NOW);

  it('any later event regresses a plainly resolved issue', () => {
    expect(isRegression(resolved, { release: null, releaseFirstSeen: null })).toBe(true);
    expect(isRegression(resolved, { release: '1.0.0', releaseFirstSeen: NOW - 100 })).toBe(true);
    expect(applyEvent(resolved, { release: null, releaseFirstSeen: null })).toEqual({
      regressed: true,
      state: { status: 'unresolved', resolvedAt: null, resolvedInNextRelease: false, resolvedInRelease: null, isRegression: true },
    });
  });

  it('resolved in next release: releases seen before do not regress, a newer one does', () => {
    expect(isRegression(nextRelease, { release: '1.0.0', releaseFirstSeen: NOW - 100 })).toBe(false);
    expect(isRegression(nextRelease, { release: null, releaseFirstSeen: null })).toBe(false);
    expect(isRegression(nextRelease, { release: '1.1.0', releaseFirstSeen: null })).toBe(true);
    expect(isRegression(nextRelease, { release: '1.1.0', releaseFirstSeen: NOW + 5 })).toBe(true);
    expect(applyEvent(nextRelease, { release: '1.0.0', releaseFirstSeen: NOW - 100 })).toEqual({ regressed: false, state: nextRelease });
  });

  it('unresolved and ignored issues never regress', () => {
    const ignored = applyStatusRequest(unresolved, { status: 'ignored' }, NOW);
    expect(applyEvent(unresolved, { release: null, releaseFirstSeen: null })).toEqual({ regressed: false, state: unresolved });
    expect(applyEvent(ignored, { release: '9', releaseFirstSeen: null })).toEqual({ regressed: false, state: ignored });
  });
});
