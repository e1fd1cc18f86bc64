/**
 * The one HTTP client of the renderer: every URL the UI uses is built here, against its own origin
 * (the core serves the UI, so `/api/...` is always same-origin).
 */
import type {
  BulkUpdateIssuesRequest,
  EventDetail,
  EventList,
  ImportResult,
  IssueList,
  IssueListQuery,
  ProjectList,
  ServerInfo,
  UpdateIssueRequest,
  UpdateProjectRequest,
  ExportDocument,
} from '../../shared/api';
import type { Issue, IssueDetail } from '../../shared/issue';
import type { Project } from '../../shared/project';
import type { Settings } from '../../shared/settings';

/** A failed API call, carrying the server's one-line `detail`. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

type Body = object | undefined;

async function request<T>(method: string, path: string, body?: Body): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiRequestError(0, 'Stacktray is not reachable. Is the app still running?');
  }
  if (!response.ok) throw new ApiRequestError(response.status, await errorDetail(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorDetail(response: Response): Promise<string> {
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object' && 'detail' in parsed && typeof parsed.detail === 'string') {
      return parsed.detail;
    }
  } catch {
    // not JSON: fall through to the status line
  }
  return `${response.status} ${response.statusText}`.trim();
}

function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

const issuePath = (id: number) => `/api/issues/${encodeURIComponent(String(id))}`;
const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const api = {
  info: () => request<ServerInfo>('GET', '/api/info'),
  settings: () => request<Settings>('GET', '/api/settings'),
  updateSettings: (patch: DeepPartial<Settings>) => request<Settings>('PATCH', '/api/settings', patch),

  projects: () => request<ProjectList>('GET', '/api/projects'),
  createProject: (name: string) => request<Project>('POST', '/api/projects', { name }),
  updateProject: (id: number, patch: UpdateProjectRequest) =>
    request<Project>('PATCH', `/api/projects/${id}`, patch),
  deleteProject: (id: number) => request<void>('DELETE', `/api/projects/${id}`),

  issues: (query: IssueListQuery) =>
    request<IssueList>('GET', withQuery('/api/issues', { ...query })),
  issue: (id: number) => request<IssueDetail>('GET', issuePath(id)),
  updateIssue: (id: number, update: UpdateIssueRequest) => request<Issue>('PATCH', issuePath(id), update),
  bulkUpdateIssues: (update: BulkUpdateIssuesRequest) =>
    request<{ issues: Issue[] }>('POST', '/api/issues/bulk', update),
  deleteIssue: (id: number) => request<void>('DELETE', issuePath(id)),
  mergeIssues: (ids: number[]) => request<IssueDetail>('POST', '/api/issues/merge', { ids }),
  unmergeIssue: (id: number, hashes: string[]) =>
    request<IssueDetail>('POST', `${issuePath(id)}/unmerge`, { hashes }),

  issueEvents: (id: number, cursor?: string, limit = 50) =>
    request<EventList>('GET', withQuery(`${issuePath(id)}/events`, { limit, cursor })),
  latestEvent: (id: number) => request<EventDetail>('GET', `${issuePath(id)}/events/latest`),
  oldestEvent: (id: number) => request<EventDetail>('GET', `${issuePath(id)}/events/oldest`),
  event: (eventId: string) => request<EventDetail>('GET', eventPath(eventId)),

  importIssues: (document: ExportDocument) => request<ImportResult>('POST', '/api/import', document),
};

/** Links the browser follows itself (downloads): built here so components never assemble URLs. */
export const links = {
  issueExport: (id: number) => `${issuePath(id)}/export`,
  allExport: (project?: number, status?: string) => withQuery('/api/export', { project, status }),
  attachment: (eventId: string, attachmentId: number) =>
    `${eventPath(eventId)}/attachments/${encodeURIComponent(String(attachmentId))}`,
  stream: '/api/stream',
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
