/**
 * The one HTTP client of the renderer: every URL the UI uses is built here, against its own origin
 * (the core serves the UI, so `/api/...` is always same-origin). A Stacktray listening beyond
 * loopback wants its API token: calls send it as a Bearer header, links and the stream as `?token=`.
 */
import type {
  BulkUpdateIssuesRequest,
  EventDetail,
  EventList,
  ImportResult,
  IssueFingerprintList,
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
    /** The server asked for its API token (`WWW-Authenticate: Bearer`). */
    readonly bearerChallenge = false,
  ) {
    super(detail);
  }
}

const TOKEN_KEY = 'stacktray.apiToken';

/** The API token, kept per origin: a Stacktray on another machine is its own origin. */
export const apiToken = {
  get(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY) || null;
    } catch {
      return null; // storage disabled: the loopback UI needs no token anyway
    }
  },
  set(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
  },
};

/** "missing": no token saved yet; "rejected": the saved one stopped working (e.g. another data folder). */
export type TokenDemand = 'missing' | 'rejected';
const tokenListeners = new Set<(demand: TokenDemand) => void>();

/** Called whenever the server asks for the API token; returns an unsubscribe. */
export function onTokenRequired(listener: (demand: TokenDemand) => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

type Body = object | undefined;

async function request<T>(method: string, path: string, body: Body, token: string | null): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiRequestError(0, 'Stacktray is not reachable. Is the app still running?');
  }
  if (!response.ok) {
    const challenge = response.headers.get('www-authenticate')?.toLowerCase().startsWith('bearer') ?? false;
    throw new ApiRequestError(response.status, await errorDetail(response), challenge);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The guard's 401 (not some other 401) carries a Bearer challenge. */
function asksForToken(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 401 && error.bearerChallenge;
}

/** Every call of the UI: a token challenge drops a token that stopped working and tells the listeners. */
async function call<T>(method: string, path: string, body?: Body): Promise<T> {
  const token = apiToken.get();
  try {
    return await request<T>(method, path, body, token);
  } catch (error) {
    if (asksForToken(error)) {
      // Only the token this call sent: another tab may have saved a good one meanwhile.
      if (token !== null && apiToken.get() === token) apiToken.clear();
      for (const listener of tokenListeners) listener(token === null ? 'missing' : 'rejected');
    }
    throw error;
  }
}

/** Tries a token the user typed; saves it only if the server takes it. */
async function signIn(typed: string): Promise<'accepted' | 'rejected'> {
  const token = typed.trim();
  if (!token) return 'rejected';
  try {
    await request<ServerInfo>('GET', '/api/info', undefined, token);
  } catch (error) {
    if (asksForToken(error)) return 'rejected';
    throw error;
  }
  apiToken.set(token);
  return 'accepted';
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

/** A URL the browser opens itself (no headers there): the token, if any, goes in the query. */
function withToken(path: string, params: Record<string, string | number | undefined | null> = {}): string {
  return withQuery(path, { ...params, token: apiToken.get() });
}

const issuePath = (id: number) => `/api/issues/${encodeURIComponent(String(id))}`;
const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const api = {
  signIn,
  info: () => call<ServerInfo>('GET', '/api/info'),
  settings: () => call<Settings>('GET', '/api/settings'),
  updateSettings: (patch: DeepPartial<Settings>) => call<Settings>('PATCH', '/api/settings', patch),

  projects: () => call<ProjectList>('GET', '/api/projects'),
  createProject: (name: string) => call<Project>('POST', '/api/projects', { name }),
  updateProject: (id: number, patch: UpdateProjectRequest) =>
    call<Project>('PATCH', `/api/projects/${id}`, patch),
  deleteProject: (id: number) => call<void>('DELETE', `/api/projects/${id}`),

  issues: (query: IssueListQuery) =>
    call<IssueList>('GET', withQuery('/api/issues', { ...query })),
  issue: (id: number) => call<IssueDetail>('GET', issuePath(id)),
  updateIssue: (id: number, update: UpdateIssueRequest) => call<Issue>('PATCH', issuePath(id), update),
  bulkUpdateIssues: (update: BulkUpdateIssuesRequest) =>
    call<{ issues: Issue[] }>('POST', '/api/issues/bulk', update),
  deleteIssue: (id: number) => call<void>('DELETE', issuePath(id)),
  mergeIssues: (ids: number[]) => call<IssueDetail>('POST', '/api/issues/merge', { ids }),
  issueHashes: (id: number) => call<IssueFingerprintList>('GET', `${issuePath(id)}/hashes`),
  unmergeIssue: (id: number, hashes: string[]) =>
    call<IssueDetail>('POST', `${issuePath(id)}/unmerge`, { hashes }),

  issueEvents: (id: number, cursor?: string, limit = 50) =>
    call<EventList>('GET', withQuery(`${issuePath(id)}/events`, { limit, cursor })),
  latestEvent: (id: number) => call<EventDetail>('GET', `${issuePath(id)}/events/latest`),
  oldestEvent: (id: number) => call<EventDetail>('GET', `${issuePath(id)}/events/oldest`),
  event: (eventId: string) => call<EventDetail>('GET', eventPath(eventId)),

  importIssues: (document: ExportDocument) => call<ImportResult>('POST', '/api/import', document),
};

/** Links the browser follows itself (downloads): built here so components never assemble URLs. */
export const links = {
  issueExport: (id: number) => withToken(`${issuePath(id)}/export`),
  allExport: (project?: number, status?: string) => withToken('/api/export', { project, status }),
  attachment: (eventId: string, attachmentId: number) =>
    withToken(`${eventPath(eventId)}/attachments/${encodeURIComponent(String(attachmentId))}`),
  /** EventSource cannot send headers. */
  stream: () => withToken('/api/stream'),
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
