/** Replays captured HTTP requests (the fixture format of test/fixtures/sentry-wire) against a server. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectKey } from '../../../../src/main/ingest/ingest-sink';

export interface RecordedRequest {
  file: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body_base64: string;
}

/** Headers that describe the original connection, not the request: the client sets its own. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export function loadRecordedRequests(folder: string): RecordedRequest[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) files.push(path);
    }
  };
  walk(folder);
  return files.map((file) => ({ file, ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<RecordedRequest, 'file'>) }));
}

export function isSentryRequest(request: RecordedRequest): boolean {
  return request.path.startsWith('/api/') || request.path === '/stream';
}

/** The projects the recordings were sent to, with the keys they used. */
export function projectsOf(requests: RecordedRequest[]): ProjectKey[] {
  const projects = new Map<number, ProjectKey>();
  for (const request of requests) {
    const projectId = /^\/api\/(\d+)\//.exec(request.path)?.[1];
    const key =
      new URLSearchParams(request.query).get('sentry_key') ?? /sentry_key=([^,\s]+)/.exec(request.headers['x-sentry-auth'] ?? '')?.[1];
    if (projectId && key) projects.set(Number(projectId), { id: Number(projectId), publicKey: key, keyEnabled: true });
  }
  return [...projects.values()];
}

export async function replay(baseUrl: string, request: RecordedRequest): Promise<{ status: number; json: unknown; headers: Headers }> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CONNECTION_HEADERS.has(name.toLowerCase())));
  const url = `${baseUrl}${request.path}${request.query ? `?${request.query}` : ''}`;
  const response = await fetch(url, { method: request.method, headers, body: Buffer.from(request.body_base64, 'base64') });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}
