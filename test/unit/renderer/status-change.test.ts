import { describe, expect, it } from 'vitest';
import { restoreRequest, statusChangeText, undoRequests } from '../../../src/renderer/lib/status-change';

describe('status change toasts', () => {
  it('names a single issue, and counts several', () => {
    expect(statusChangeText(['TypeError: x is undefined'], { status: 'resolved' })).toBe('Resolved “TypeError: x is undefined”');
    expect(statusChangeText(['A'], { status: 'ignored' })).toBe('Ignored “A”');
    expect(statusChangeText(['A', 'B', 'C'], { status: 'unresolved' })).toBe('Unresolved 3 issues');
    expect(statusChangeText(['A', 'B'], { status: 'resolved', resolveIn: 'next-release' })).toBe('Resolved 2 issues in the next release');
  });

  it('shortens a long title', () => {
    const text = statusChangeText(['E'.repeat(200)], { status: 'resolved' });
    expect(text).toBe(`Resolved “${'E'.repeat(79)}…”`);
  });
});

describe('undo', () => {
  it('restores each issue to the status it had, grouped by status', () => {
    const before = [
      { id: 1, status: 'unresolved' as const, resolvedInNextRelease: false },
      { id: 2, status: 'ignored' as const, resolvedInNextRelease: false },
      { id: 3, status: 'unresolved' as const, resolvedInNextRelease: false },
      { id: 4, status: 'resolved' as const, resolvedInNextRelease: true },
      { id: 5, status: 'resolved' as const, resolvedInNextRelease: false },
    ];
    expect(undoRequests(before)).toEqual([
      { ids: [1, 3], status: 'unresolved' },
      { ids: [2], status: 'ignored' },
      { ids: [4], status: 'resolved', resolveIn: 'next-release' },
      { ids: [5], status: 'resolved' },
    ]);
    expect(restoreRequest({ id: 9, status: 'unresolved', resolvedInNextRelease: true })).toEqual({ status: 'unresolved' });
  });
});
