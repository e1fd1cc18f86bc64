/**
 * Who sent a Sentry request: the public key (from X-Sentry-Auth, Authorization, ?sentry_key= or
 * the envelope header's DSN) checked against the project the URL names. Pure: headers and a
 * ProjectDirectory in, a project or a refusal (status + one-line reason) out.
 */
import type { RefusalReason } from '../../../shared/refusal';
import type { ProjectDirectory, ProjectKey } from '../ingest-sink';

export interface Credential {
  /** Where the key was found, for error messages. */
  source: string;
  key: string;
  /** The project a DSN names. */
  projectId?: number;
}

export type AuthOutcome =
  | { ok: true; project: ProjectKey }
  /** `projectId`: the project the request named, when it exists (for counting the refusal). */
  | { ok: false; status: 401 | 403 | 404; detail: string; reason: RefusalReason; projectId: number | null };

/** `Sentry sentry_key=…, sentry_version=7, sentry_client=…` → its fields (the `Sentry ` prefix optional). */
export function parseSentryAuthHeader(header: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const body = header.trim().replace(/^sentry\s+/i, '');
  for (const part of body.split(',')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    const name = part.slice(0, equals).trim().toLowerCase();
    const value = part.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name !== '' && value !== '') fields[name] = value;
  }
  return fields;
}

/** `{scheme}://{public_key}[:{secret}]@{host}[:{port}]{path}/{project_id}` → key and project id. */
export function parseDsn(dsn: string): { key: string; projectId: number } | undefined {
  let url: URL;
  try {
    url = new URL(dsn.trim());
  } catch {
    return undefined;
  }
  const projectSegment = url.pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  let key: string;
  try {
    key = decodeURIComponent(url.username);
  } catch {
    return undefined;
  }
  if (key === '' || !/^\d+$/.test(projectSegment)) return undefined;
  return { key, projectId: Number(projectSegment) };
}

export interface CredentialSources {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  /** The envelope header's `dsn`, once the body has been read. */
  dsn?: unknown;
}

/** Every key the request carries; a malformed DSN is reported as a refusal. */
export function collectCredentials(sources: CredentialSources): Credential[] | AuthOutcome {
  const credentials: Credential[] = [];
  const sentryAuth = firstHeader(sources.headers['x-sentry-auth']);
  const sentryAuthKey = sentryAuth === undefined ? undefined : parseSentryAuthHeader(sentryAuth)['sentry_key'];
  if (sentryAuthKey) credentials.push({ source: 'X-Sentry-Auth', key: sentryAuthKey });
  const authorization = firstHeader(sources.headers['authorization']);
  if (authorization !== undefined && /^sentry\s/i.test(authorization.trim())) {
    const key = parseSentryAuthHeader(authorization)['sentry_key'];
    if (key) credentials.push({ source: 'Authorization', key });
  }
  const queryKey = sources.query['sentry_key'];
  if (typeof queryKey === 'string' && queryKey !== '') credentials.push({ source: 'the sentry_key query parameter', key: queryKey });
  if (typeof sources.dsn === 'string' && sources.dsn !== '') {
    const dsn = parseDsn(sources.dsn);
    if (!dsn) return { ok: false, status: 401, detail: "the envelope header's dsn is not a valid Sentry DSN", reason: 'wrong-key', projectId: null };
    credentials.push({ source: "the envelope header's dsn", key: dsn.key, projectId: dsn.projectId });
  }
  return credentials;
}

/**
 * Decides the project. `urlProjectId` is the id in the path (undefined for `/api/store/`, where
 * the key picks the project). Several keys must agree; a DSN's project must be the URL's.
 */
export function authorize(urlProjectId: number | undefined, credentials: Credential[], projects: ProjectDirectory): AuthOutcome {
  const urlProject = urlProjectId === undefined ? undefined : projects.byId(urlProjectId);
  if (urlProjectId !== undefined && !urlProject) {
    return { ok: false, status: 404, detail: `project ${urlProjectId} does not exist`, reason: 'unknown-project', projectId: null };
  }
  const named = urlProject?.id ?? null;
  const [first, ...others] = credentials;
  if (!first) {
    return {
      ok: false,
      status: 401,
      detail: 'missing authentication: send X-Sentry-Auth, ?sentry_key= or a dsn in the envelope header',
      reason: 'missing-key',
      projectId: named,
    };
  }
  const conflicting = others.find((credential) => credential.key !== first.key);
  if (conflicting) {
    return { ok: false, status: 401, detail: `conflicting keys in ${first.source} and ${conflicting.source}`, reason: 'wrong-key', projectId: named };
  }
  const project = urlProject ?? projects.byKey(first.key);
  if (!project) return { ok: false, status: 403, detail: `unknown sentry_key ${first.key}`, reason: 'unknown-project', projectId: null };
  if (project.publicKey !== first.key) {
    return { ok: false, status: 403, detail: `the key from ${first.source} does not belong to project ${project.id}`, reason: 'wrong-key', projectId: project.id };
  }
  const dsnProject = credentials.find((credential) => credential.projectId !== undefined && credential.projectId !== project.id);
  if (dsnProject) {
    return {
      ok: false,
      status: 403,
      detail: `the envelope's dsn names project ${dsnProject.projectId}, not project ${project.id}`,
      reason: 'wrong-key',
      projectId: project.id,
    };
  }
  if (!project.keyEnabled) {
    return { ok: false, status: 403, detail: `the key of project ${project.id} is disabled`, reason: 'disabled-key', projectId: project.id };
  }
  return { ok: true, project };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
