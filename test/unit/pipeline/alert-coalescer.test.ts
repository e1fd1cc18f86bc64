import { describe, expect, it } from 'vitest';
import { AlertCoalescer, summarize } from '../../../src/main/pipeline/alert/coalescer';
import type { Alert } from '../../../src/shared/issue';

function alert(issueId: number, kind: 'new' | 'regression' = 'new'): Alert {
  return { kind, issueId, projectId: 1, projectName: 'default', title: `Error ${issueId}`, count: 1, at: '2026-11-25T00:00:00.000Z' };
}

describe('AlertCoalescer', () => {
  it('passes the first alerts of a window and sums up the rest in one summary', async () => {
    const delivered: Alert[] = [];
    let clock = 1000;
    const coalescer = new AlertCoalescer((a) => delivered.push(a), { limit: 5, windowMs: 50 }, () => clock);
    for (let id = 1; id <= 40; id++) coalescer.push(alert(id, id % 4 === 0 ? 'regression' : 'new'));
    expect(delivered.map((a) => a.issueId)).toEqual([1, 2, 3, 4, 5]);
    clock += 60;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(delivered).toHaveLength(6);
    expect(delivered[5]).toMatchObject({ kind: 'summary', suppressed: 35, title: '26 new and 9 regressed issues in default (notifications coalesced)' });
  });

  it('opens a fresh window once the previous one has passed quietly', () => {
    const delivered: Alert[] = [];
    let clock = 0;
    const coalescer = new AlertCoalescer((a) => delivered.push(a), { limit: 2, windowMs: 100 }, () => clock);
    coalescer.push(alert(1));
    coalescer.push(alert(2));
    clock = 150;
    coalescer.push(alert(3));
    expect(delivered.map((a) => a.issueId)).toEqual([1, 2, 3]);
  });

  it('flush emits the pending summary at once', () => {
    const delivered: Alert[] = [];
    const coalescer = new AlertCoalescer((a) => delivered.push(a), { limit: 1, windowMs: 60_000 });
    coalescer.push(alert(1));
    coalescer.push(alert(2, 'regression'));
    coalescer.flush();
    expect(delivered.map((a) => a.kind)).toEqual(['new', 'summary']);
    expect(delivered[1]?.title).toBe('1 regressed issue in default (notifications coalesced)');
  });

  it('summarize counts kinds and names the project', () => {
    expect(summarize([alert(1), alert(2)], 'now')).toEqual({
      kind: 'summary', projectId: 1, projectName: 'default', title: '2 new issues in default (notifications coalesced)', suppressed: 2, at: 'now',
    });
  });

  it('keeps a window per project: a burst in one leaves another project\'s alerts alone', () => {
    const delivered: Alert[] = [];
    const coalescer = new AlertCoalescer((a) => delivered.push(a), { limit: 2, windowMs: 60_000 });
    for (let id = 1; id <= 6; id++) coalescer.push(alert(id));
    coalescer.push({ ...alert(100), projectId: 2, projectName: 'billing' });
    coalescer.flush();
    expect(delivered.map((a) => [a.kind, a.projectId, a.issueId ?? a.suppressed])).toEqual([
      ['new', 1, 1], ['new', 1, 2], ['new', 2, 100], ['summary', 1, 4],
    ]);
  });
});
