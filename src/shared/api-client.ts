/**
 * The one typed client of Stacktray's HTTP API, used by the renderer, the CLI and the MCP server.
 * Every URL a client uses is built here. The base URL and the token come from the caller: the
 * renderer talks to its own origin and keeps the token in localStorage; the CLI names a server.
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
  SimilarIssueList,
  UpdateIssueRequest,
  UpdateProjectRequest,
  ExportDocument,
  OpenInEditorRequest,
  ArtifactBundleList,
} from './api';
import type { Issue, IssueDetail } from './issue';
import type { Project } from './project';
import type { RefusalList } from './refusal';
import type { Settings } from './settings';

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

export interface ApiClientOptions {
  /** Where the server is, without a trailing slash; "" for the page's own origin. */
  baseUrl: string;
  /** The API token to send, read on every call (it may change while the client lives). */
  token: () => string | null;
  /** Called when the server asks for a token; `sent` is the token the failed call carried. */
  onTokenChallenge?: (sent: string | null) => void;
  /** What "cannot reach the server" says to this client's user. */
  unreachableDetail?: string;
}

type Body = object | undefined;

/** A page of events: `query` takes the issue search's grammar (text, `level:`, `release:`, `environment:`). */
export interface EventPage {
  query?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}
type QueryParams = Record<string, string | number | undefined | null>;

/** The guard's 401 (not some other 401) carries a Bearer challenge. */
export function asksForToken(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 401 && error.bearerChallenge;
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

function withQuery(path: string, params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

const issuePath = (id: number) => `/api/issues/${encodeURIComponent(String(id))}`;
const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export function createApiClient(options: ApiClientOptions) {
  const unreachable = options.unreachableDetail ?? 'Stacktray is not reachable. Is the app still running?';

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
      response = await fetch(`${options.baseUrl}${path}`, init);
    } catch {
      throw new ApiRequestError(0, unreachable);
    }
    if (!response.ok) {
      const challenge = response.headers.get('www-authenticate')?.toLowerCase().startsWith('bearer') ?? false;
      throw new ApiRequestError(response.status, await errorDetail(response), challenge);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async function call<T>(method: string, path: string, body?: Body): Promise<T> {
    const token = options.token();
    try {
      return await request<T>(method, path, body, token);
    } catch (error) {
      if (asksForToken(error)) options.onTokenChallenge?.(token);
      throw error;
    }
  }

  /** A URL a client opens itself (no headers there): the token, if any, goes in the query. */
  const withToken = (path: string, params: QueryParams = {}) =>
    `${options.baseUrl}${withQuery(path, { ...params, token: options.token() })}`;

  return {
    /** Calls `/api/info` with a token other than the client's own (to check one before keeping it). */
    infoWithToken: (token: string) => request<ServerInfo>('GET', '/api/info', undefined, token),
    info: () => call<ServerInfo>('GET', '/api/info'),
    settings: () => call<Settings>('GET', '/api/settings'),
    updateSettings: (patch: DeepPartial<Settings>) => call<Settings>('PATCH', '/api/settings', patch),

    projects: () => call<ProjectList>('GET', '/api/projects'),
    createProject: (name: string) => call<Project>('POST', '/api/projects', { name }),
    updateProject: (id: number, patch: UpdateProjectRequest) => call<Project>('PATCH', `/api/projects/${id}`, patch),
    deleteProject: (id: number) => call<void>('DELETE', `/api/projects/${id}`),
    artifactBundles: (projectId: number) => call<ArtifactBundleList>('GET', `/api/projects/${projectId}/artifact-bundles`),
    deleteArtifactBundle: (projectId: number, bundleId: string) =>
      call<void>('DELETE', `/api/projects/${projectId}/artifact-bundles/${encodeURIComponent(bundleId)}`),

    issues: (query: IssueListQuery) => call<IssueList>('GET', withQuery('/api/issues', { ...query })),
    issue: (id: number) => call<IssueDetail>('GET', issuePath(id)),
    updateIssue: (id: number, update: UpdateIssueRequest) => call<Issue>('PATCH', issuePath(id), update),
    bulkUpdateIssues: (update: BulkUpdateIssuesRequest) => call<{ issues: Issue[] }>('POST', '/api/issues/bulk', update),
    deleteIssue: (id: number) => call<void>('DELETE', issuePath(id)),
    similarIssues: (id: number) => call<SimilarIssueList>('GET', `${issuePath(id)}/similar`),
    mergeIssues: (ids: number[]) => call<IssueDetail>('POST', '/api/issues/merge', { ids }),
    issueHashes: (id: number) => call<IssueFingerprintList>('GET', `${issuePath(id)}/hashes`),
    unmergeIssue: (id: number, hashes: string[]) => call<IssueDetail>('POST', `${issuePath(id)}/unmerge`, { hashes }),

    issueEvents: (id: number, page: EventPage = {}) =>
      call<EventList>('GET', withQuery(`${issuePath(id)}/events`, { limit: 50, ...page })),
    /** Events across issues, newest first. */
    searchEvents: (page: EventPage & { project?: number } = {}) =>
      call<EventList>('GET', withQuery('/api/events', { limit: 50, ...page })),
    latestEvent: (id: number) => call<EventDetail>('GET', `${issuePath(id)}/events/latest`),
    oldestEvent: (id: number) => call<EventDetail>('GET', `${issuePath(id)}/events/oldest`),
    event: (eventId: string) => call<EventDetail>('GET', eventPath(eventId)),

    importIssues: (document: ExportDocument) => call<ImportResult>('POST', '/api/import', document),

    refusals: () => call<RefusalList>('GET', '/api/refusals'),
    /** Opens a frame's file in the user's editor (204); 403 outside the allowed source folders, 404 missing. */
    openInEditor: (request: OpenInEditorRequest) => call<void>('POST', '/api/open-in-editor', request),

    /** Links a client follows itself (downloads, the event stream): the token goes in the query. */
    links: {
      issueExport: (id: number) => withToken(`${issuePath(id)}/export`),
      allExport: (project?: number, status?: string) => withToken('/api/export', { project, status }),
      attachment: (eventId: string, attachmentId: number) =>
        withToken(`${eventPath(eventId)}/attachments/${encodeURIComponent(String(attachmentId))}`),
      /** EventSource cannot send headers. */
      stream: () => withToken('/api/stream'),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
