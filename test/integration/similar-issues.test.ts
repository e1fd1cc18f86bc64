/** Look-alike issues: the same error from two lines of one function, told apart and merged. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IssueList, SimilarIssueList } from '../../src/shared/api';
import type { IssueDetail } from '../../src/shared/issue';
import { errorEvent, startHarness, type Harness } from '../support/core-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.stop();
});

/** The same TypeError thrown in computeTotal, at another line with other source there. */
function fromLine(lineno: number, source: string, fn = 'computeTotal'): Record<string, unknown> {
  const event = errorEvent({ fn, lineno });
  const frames = (event.exception as { values: { stacktrace: { frames: Record<string, unknown>[] } }[] }).values[0]!.stacktrace.frames;
  frames[frames.length - 1]!.context_line = source;
  return event;
}

async function send(event: Record<string, unknown>): Promise<void> {
  expect((await harness.sendEnvelope([{ header: { type: 'event' }, payload: event }])).status).toBe(200);
}

describe('similar issues', () => {
  it('lists issues with the same title and top in-app function, each with its own line, and merges one', async () => {
    await send(fromLine(42, '  return order.total.amount;'));
    await send(fromLine(57, '  return order.tax.amount;'));
    await send(fromLine(57, '  return order.tax.amount;'));
    await send(fromLine(9, '  return cart.total;', 'otherFunction'));
    const { issues } = (await harness.api<IssueList>('/api/issues?status=all&sort=firstSeen')).body;
    expect(issues).toHaveLength(3);
    const [other, line57, line42] = issues;
    expect(line42?.title).toBe(line57?.title);
    expect(line42?.culprit).toBe(line57?.culprit);
    expect([line42?.metadata.lineno, line42?.metadata.contextLine]).toEqual([42, 'return order.total.amount;']);
    expect([line57?.metadata.lineno, line57?.metadata.contextLine]).toEqual([57, 'return order.tax.amount;']);

    const similar = await harness.api<SimilarIssueList>(`/api/issues/${line42?.id}/similar`);
    expect(similar.status).toBe(200);
    expect(similar.body.issues.map((i) => [i.id, i.count, i.metadata.lineno])).toEqual([[line57?.id, 2, 57]]);
    expect((await harness.api<SimilarIssueList>(`/api/issues/${other?.id}/similar`)).body.issues).toEqual([]);
    expect((await harness.api(`/api/issues/99999/similar`)).status).toBe(404);

    const merged = await harness.api<IssueDetail>('/api/issues/merge', { method: 'POST', body: JSON.stringify({ ids: [line42?.id, line57?.id] }) });
    expect(merged.body).toMatchObject({ id: line42?.id, count: 3 });
    expect((await harness.api<SimilarIssueList>(`/api/issues/${line42?.id}/similar`)).body.issues).toEqual([]);
  });
});
