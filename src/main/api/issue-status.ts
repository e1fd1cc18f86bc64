/** Changing an issue's status (resolve, resolve in next release, ignore, reopen) and telling the stream. */
import type { UpdateIssueRequest } from '../../shared/api';
import type { Issue } from '../../shared/issue';
import type { ApiDeps } from './api-deps';
import { applyStatusRequest, type StatusRequest } from '../pipeline/lifecycle';

function toStatusRequest(body: UpdateIssueRequest, latestRelease: string | null): StatusRequest {
  if (body.status === 'resolved') return { status: 'resolved', inNextRelease: body.resolveIn === 'next-release', latestRelease };
  return { status: body.status };
}

/** Undefined when the issue does not exist. Call inside a transaction when changing several. */
export function changeIssueStatus(deps: Pick<ApiDeps, 'store' | 'hub'>, id: number, body: UpdateIssueRequest): Issue | undefined {
  const { store, hub } = deps;
  const state = store.issues.lifecycleState(id);
  if (!state) return undefined;
  store.issues.saveLifecycleState(id, applyStatusRequest(state, toStatusRequest(body, store.issues.row(id)?.last_release ?? null), Date.now() / 1000));
  const issue = store.issues.get(id);
  if (issue) hub.publish({ type: 'issue.updated', issue });
  return issue;
}
