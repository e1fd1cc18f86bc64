/** Small reads of the server's API from the test side (to wait for ingest, never to drive the UI). */
import type { IssueDetail, IssueList } from '../../../src/shared/api';

export async function listIssues(baseUrl: string, query = 'status=all'): Promise<IssueList> {
  const response = await fetch(`${baseUrl}/api/issues?${query}`);
  if (!response.ok) throw new Error(`GET /api/issues answered ${response.status}`);
  return (await response.json()) as IssueList;
}

export async function getIssue(baseUrl: string, id: number): Promise<IssueDetail> {
  const response = await fetch(`${baseUrl}/api/issues/${id}`);
  if (!response.ok) throw new Error(`GET /api/issues/${id} answered ${response.status}`);
  return (await response.json()) as IssueDetail;
}

/** Posts one event to the legacy store endpoint of the DSN's project; throws unless it is taken (200). */
export async function sendStoreEvent(dsn: string, event: Record<string, unknown>): Promise<void> {
  const { origin, pathname, username } = new URL(dsn);
  const response = await fetch(`${origin}/api${pathname}/store/?sentry_key=${username}&sentry_version=7`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  if (response.status !== 200) throw new Error(`the store endpoint answered ${response.status}: ${await response.text()}`);
}

/** Polls until `check` passes (ingest is asynchronous to the SDK's flush). */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
