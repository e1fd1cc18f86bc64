/** Captured OTLP requests (test/fixtures/otlp, ../shared/fixtures/wire) replayed byte for byte. */
import { readFileSync } from 'node:fs';

export interface WireFixture {
  method: string;
  path: string;
  headers: Record<string, string>;
  body_base64: string;
}

export function loadWireFixture(path: string): WireFixture {
  return JSON.parse(readFileSync(path, 'utf8')) as WireFixture;
}

/** Sends the fixture's exact bytes and content headers to `baseUrl` (optionally to another path). */
export async function replay(baseUrl: string, fixture: WireFixture, path = fixture.path): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'content-encoding', 'user-agent']) {
    const value = fixture.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return fetch(`${baseUrl}${path}`, { method: fixture.method, headers, body: Buffer.from(fixture.body_base64, 'base64') });
}
