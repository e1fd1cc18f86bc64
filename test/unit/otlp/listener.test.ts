/** The extra loopback listener for the exporters' default port: /v1 routes only, null when taken. */
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DEFAULT_INGEST_LIMITS, type IngestDeps } from '../../../src/main/ingest/ingest-sink';
import { startOtlpListener, type OtlpListener } from '../../../src/main/ingest/otlp/routes';
import { MemoryProjects } from './support/project-directory';
import { RecordingSink } from './support/recording-sink';
import { loadWireFixture, replay } from './support/wire-fixture';

const open: OtlpListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((listener) => listener.close()));
});

function deps(sink: RecordingSink): IngestDeps {
  return { sink, projects: new MemoryProjects(), rateLimiter: { retryAfter: () => null }, limits: DEFAULT_INGEST_LIMITS };
}

test('serves /v1/logs on 127.0.0.1 and nothing else; a second listener on the same port gets null', async () => {
  const sink = new RecordingSink();
  const listener = await startOtlpListener(deps(sink), 0);
  expect(listener).not.toBeNull();
  open.push(listener!);
  const base = `http://127.0.0.1:${listener!.port}`;

  const response = await replay(base, loadWireFixture(join(__dirname, '../../fixtures/otlp/logs-json-gzip.json')));
  expect(response.status).toBe(200);
  expect(sink.events.map(({ event }) => event.exception?.values.at(-1)?.type)).toEqual(['TaxServiceError']);

  const keyed = await fetch(`${base}/api/1/integration/otlp/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(keyed.status).toBe(404);

  expect(await startOtlpListener(deps(new RecordingSink()), listener!.port)).toBeNull();
});
