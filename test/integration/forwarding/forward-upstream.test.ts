/**
 * Forwarding with real servers: Stacktray A forwards a project to Stacktray B (or to a small
 * recording upstream that answers as told); everything listens on 127.0.0.1 port 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventList, IssueList, ProjectList } from '../../../src/shared/api';
import type { Project } from '../../../src/shared/project';
import { errorEvent, randomHex, startHarness, tempDataDir, waitFor, type Harness } from '../../support/core-harness';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream';

const FAST_RETRY = { retryBaseMs: 50, retryMaxMs: 300, timeoutMs: 2_000 };

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of running.splice(0).reverse()) await server.stop();
});

async function harness(dataDir = tempDataDir(), extra: Parameters<typeof startHarness>[1] = {}): Promise<Harness> {
  const started = await startHarness(dataDir, { forwarding: FAST_RETRY, ...extra });
  running.push(started);
  return started;
}

async function upstream(answer: Parameters<typeof startRecordingUpstream>[0]): Promise<RecordingUpstream> {
  const started = await startRecordingUpstream(answer);
  running.push(started);
  return started;
}

async function setUpstream(a: Harness, dsn: string | null, projectId = a.project.id): Promise<{ status: number; body: Project & { detail?: string } }> {
  return a.api<Project & { detail?: string }>(`/api/projects/${projectId}`, { method: 'PATCH', body: JSON.stringify({ upstreamDsn: dsn }) });
}

async function projectOf(a: Harness, id = a.project.id): Promise<Project> {
  const list = (await a.api<ProjectList>('/api/projects')).body.projects;
  const project = list.find((p) => p.id === id);
  if (!project) throw new Error(`no project ${id}`);
  return project;
}

async function sendEvent(a: Harness, event: Record<string, unknown>, projectId = a.project.id): Promise<void> {
  const response = await a.sendEnvelope([{ header: { type: 'event' }, payload: event }], projectId);
  expect(response.status).toBe(200);
}

async function eventAt(b: Harness, eventId: string): Promise<boolean> {
  return (await b.api(`/api/events/${eventId}`)).status === 200;
}

describe('forwarding to an upstream', () => {
  it('sends each accepted envelope to B, where the events arrive under B\'s project', async () => {
    const b = await harness();
    const a = await harness();
    const set = await setUpstream(a, b.project.dsn);
    expect(set.status).toBe(200);
    expect(set.body.upstreamDsn).toBe(b.project.dsn);

    const ids = [randomHex(), randomHex()];
    await sendEvent(a, errorEvent({ eventId: ids[0], type: 'TypeError', release: '1.0' }));
    await sendEvent(a, errorEvent({ eventId: ids[1], type: 'RangeError', release: '1.0' }));
    for (const id of ids) await waitFor(() => eventAt(b, id));

    const atB = (await b.api<IssueList>('/api/issues?status=all')).body.issues;
    expect(atB.map((issue) => issue.title).sort()).toEqual(['RangeError: Cannot read properties of undefined', 'TypeError: Cannot read properties of undefined']);
    const state = await waitFor(async () => {
      const forwarding = (await projectOf(a)).forwarding;
      return forwarding?.delivered === 2 ? forwarding : undefined;
    });
    expect(state).toMatchObject({ queued: 0, queuedBytes: 0, oldestQueuedAt: null, droppedOverflow: 0, droppedRejected: 0, lastError: null });
  });

  it('sends the SDK\'s bytes unchanged apart from the header DSN, with the upstream key in X-Sentry-Auth', async () => {
    const up = await upstream(() => ({ status: 200, body: '{}' }));
    const a = await harness();
    const upstreamDsn = `http://0123456789abcdef0123456789abcdef@127.0.0.1:${up.port}/42`;
    expect((await setUpstream(a, upstreamDsn)).status).toBe(200);

    const eventId = randomHex();
    // Spacing and key order as an SDK might write them: only the DSN's value may change.
    const header = `{"event_id":"${eventId}", "dsn":${JSON.stringify(a.project.dsn)},"sdk":{"name":"sentry.javascript.node","version":"11.12.0"}}`;
    const payload = JSON.stringify(errorEvent({ eventId, release: '2.0' }));
    const rest = `{"type":"event","length":${Buffer.byteLength(payload)}}\n${payload}\n{"type":"attachment","length":5,"filename":"a.bin"}\n\u0000\u0001\u0002\u0003\u0004\n`;
    const response = await fetch(`${a.core.url}/api/${a.project.id}/envelope/?sentry_key=${a.project.publicKey}`, { method: 'POST', body: `${header}\n${rest}` });
    expect(response.status).toBe(200);

    const [received] = await waitFor(() => (up.requests.length === 1 ? up.requests : undefined));
    expect(received?.path).toBe('/api/42/envelope/');
    expect(received?.headers['x-sentry-auth']).toMatch(/^Sentry sentry_version=7, sentry_key=0123456789abcdef0123456789abcdef, sentry_client=stacktray\//);
    expect(received?.headers['content-type']).toBe('application/x-sentry-envelope');
    const expectedHeader = header.replace(JSON.stringify(a.project.dsn), JSON.stringify(upstreamDsn));
    expect(received?.body.equals(Buffer.from(`${expectedHeader}\n${rest}`))).toBe(true);
  });

  it('keeps what B could not take across a restart of A and delivers it once B is back', async () => {
    const bDir = tempDataDir();
    let b = await harness(bDir);
    const bPort = b.core.port;
    const aDir = tempDataDir();
    let a = await harness(aDir);
    expect((await setUpstream(a, b.project.dsn)).status).toBe(200);
    const first = randomHex();
    await sendEvent(a, errorEvent({ eventId: first }));
    await waitFor(() => eventAt(b, first));

    await b.stop();
    const meanwhile = [randomHex(), randomHex()];
    for (const id of meanwhile) await sendEvent(a, errorEvent({ eventId: id }));
    const waiting = await waitFor(async () => {
      const forwarding = (await projectOf(a)).forwarding;
      return forwarding?.queued === 2 && forwarding.lastError ? forwarding : undefined;
    });
    expect(waiting.lastError?.message).toMatch(/could not be reached: ECONNREFUSED/);
    expect(waiting.oldestQueuedAt).not.toBeNull();

    await a.stop();
    a = await harness(aDir);
    const afterRestart = randomHex();
    await sendEvent(a, errorEvent({ eventId: afterRestart }));
    expect((await projectOf(a)).forwarding?.queued).toBe(3);

    b = await harness(bDir, { port: bPort });
    for (const id of [...meanwhile, afterRestart]) await waitFor(() => eventAt(b, id));
    const [issue] = (await b.api<IssueList>('/api/issues?status=all')).body.issues;
    expect(issue?.count).toBe(4);
    const state = await waitFor(async () => {
      const forwarding = (await projectOf(a)).forwarding;
      return forwarding?.queued === 0 ? forwarding : undefined;
    });
    expect(state.delivered).toBe(4);
  });

  it('waits as long as a 429 says before sending again', async () => {
    const up = await upstream((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: '' } : { status: 200, body: '{}' }));
    const a = await harness();
    expect((await setUpstream(a, `http://k@127.0.0.1:${up.port}/1`)).status).toBe(200);
    await sendEvent(a, errorEvent({}));
    await waitFor(() => up.requests.length === 1);
    const limited = await waitFor(async () => (await projectOf(a)).forwarding?.lastError ?? undefined);
    expect(limited.message).toBe('the upstream answered 429');
    expect((await projectOf(a)).forwarding?.queued).toBe(1);

    await waitFor(() => up.requests.length === 2, 10_000);
    const [first, second] = up.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    await waitFor(async () => (await projectOf(a)).forwarding?.delivered === 1);
  });

  it('takes the wait from X-Sentry-Rate-Limits over Retry-After', async () => {
    const up = await upstream((index) => (index === 0
      ? { status: 429, headers: { 'x-sentry-rate-limits': '1:error;transaction:project:quota_exceeded', 'retry-after': '60' }, body: '' }
      : { status: 200, body: '{}' }));
    const a = await harness();
    expect((await setUpstream(a, `http://k@127.0.0.1:${up.port}/1`)).status).toBe(200);
    await sendEvent(a, errorEvent({}));
    await waitFor(() => up.requests.length === 2, 10_000);
    const [first, second] = up.requests;
    const waited = (second?.at ?? 0) - (first?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThan(60_000);
  });

  it('drops an envelope the upstream refuses with 403 and shows why', async () => {
    const up = await upstream(() => ({ status: 403, body: '{"detail":"event submission rejected with_reason: ProjectId"}' }));
    const a = await harness();
    expect((await setUpstream(a, `http://k@127.0.0.1:${up.port}/9`)).status).toBe(200);
    await sendEvent(a, errorEvent({}));
    const state = await waitFor(async () => {
      const forwarding = (await projectOf(a)).forwarding;
      return forwarding?.droppedRejected === 1 ? forwarding : undefined;
    });
    expect(state).toMatchObject({ queued: 0, delivered: 0, retryAt: null });
    expect(state.lastError?.message).toBe('the upstream answered 403: event submission rejected with_reason: ProjectId');
    // Not tried again: a second envelope is the next request the upstream sees.
    await sendEvent(a, errorEvent({}));
    await waitFor(async () => (await projectOf(a)).forwarding?.droppedRejected === 2);
    expect(up.requests).toHaveLength(2);
  });

  it('forwards nothing for a project without an upstream', async () => {
    const up = await upstream(() => ({ status: 200, body: '{}' }));
    const a = await harness();
    const other = (await a.api<Project>('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'local-only' }) })).body;
    expect((await setUpstream(a, `http://k@127.0.0.1:${up.port}/1`)).status).toBe(200);

    const localOnly = randomHex();
    await sendEvent(a, errorEvent({ eventId: localOnly }), other.id);
    const forwarded = randomHex();
    await sendEvent(a, errorEvent({ eventId: forwarded }));
    await waitFor(() => up.requests.length >= 1);
    await waitFor(async () => (await projectOf(a)).forwarding?.delivered === 1);
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]?.body.toString()).toContain(forwarded);
    expect((await projectOf(a, other.id)).forwarding).toBeNull();

    // Turned off: nothing more leaves.
    const off = await setUpstream(a, null);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.upstreamDsn).toBeNull();
    await sendEvent(a, errorEvent({}));
    expect((await projectOf(a)).forwarding?.queued).toBe(0);
    expect(up.requests).toHaveLength(1);
  });

  it('retries after a timeout without creating a duplicate at B', async () => {
    const b = await harness();
    let forwardedToB = 0;
    // A proxy in front of B: the first answer reaches A only after A has given up on it.
    const proxy = await upstream(async (index, request) => {
      const answer = await fetch(`${b.core.url}${request.path}`, {
        method: 'POST',
        body: request.body,
        headers: { 'x-sentry-auth': request.headers['x-sentry-auth'] ?? '' },
      });
      forwardedToB++;
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 1_500));
      return { status: answer.status, body: await answer.text() };
    });
    const a = await harness(tempDataDir(), { forwarding: { ...FAST_RETRY, timeoutMs: 500 } });
    const bDsn = b.project.dsn.replace(`:${b.core.port}/`, `:${proxy.port}/`);
    expect((await setUpstream(a, bDsn)).status).toBe(200);

    const eventId = randomHex();
    await sendEvent(a, errorEvent({ eventId }));
    const state = await waitFor(async () => {
      const forwarding = (await projectOf(a)).forwarding;
      return forwarding?.delivered === 1 ? forwarding : undefined;
    });
    expect(state.lastError?.message).toBe('the upstream could not be reached: no answer within 500 ms');
    expect(forwardedToB).toBe(2);
    const [issue] = (await b.api<IssueList>('/api/issues?status=all')).body.issues;
    expect(issue?.count).toBe(1);
    const events = (await b.api<EventList>(`/api/issues/${issue?.id}/events`)).body.events;
    expect(events.map((event) => event.eventId)).toEqual([eventId]);
  });

  it('forwards what came by DSN once, and nothing that came by Spotlight (/stream is a copy the SDK also sends to its DSN)', async () => {
    const up = await upstream(() => ({ status: 200, body: '{}' }));
    const a = await harness();
    expect((await setUpstream(a, `http://0123456789abcdef0123456789abcdef@127.0.0.1:${up.port}/42`)).status).toBe(200);
    const eventId = randomHex();
    const envelope = `${JSON.stringify({ event_id: eventId, trace: { public_key: a.project.publicKey, trace_id: randomHex() } })}\n{"type":"event"}\n${JSON.stringify(errorEvent({ eventId }))}\n`;
    // As an SDK with a DSN and Spotlight sends it: to the envelope endpoint and to /stream.
    expect((await fetch(`${a.core.url}/api/${a.project.id}/envelope/?sentry_key=${a.project.publicKey}`, { method: 'POST', body: envelope })).status).toBe(200);
    expect((await fetch(`${a.core.url}/stream`, { method: 'POST', body: envelope, headers: { 'content-type': 'application/x-sentry-envelope' } })).status).toBe(200);
    // Spotlight only (the SDK's DSN is the team's server): stored here, not sent upstream again.
    const spotlightOnly = randomHex();
    const onlyStream = `{"event_id":"${spotlightOnly}"}\n{"type":"event"}\n${JSON.stringify(errorEvent({ eventId: spotlightOnly }))}\n`;
    expect((await fetch(`${a.core.url}/stream`, { method: 'POST', body: onlyStream, headers: { 'content-type': 'application/x-sentry-envelope' } })).status).toBe(200);
    expect((await a.api(`/api/events/${spotlightOnly}`)).status).toBe(200);
    await waitFor(() => up.requests.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(up.requests.map((request) => request.body.toString('utf8').includes(eventId))).toEqual([true]);
    expect((await projectOf(a)).forwarding).toMatchObject({ delivered: 1, queued: 0 });
  });

  it('forwards events made from OTLP and from the store endpoint as Sentry envelopes', async () => {
    const up = await upstream(() => ({ status: 200, body: '{}' }));
    const a = await harness();
    expect((await setUpstream(a, `http://k@127.0.0.1:${up.port}/3`)).status).toBe(200);

    const storeId = randomHex();
    const stored = await fetch(`${a.core.url}/api/${a.project.id}/store/?sentry_key=${a.project.publicKey}`, {
      method: 'POST',
      body: JSON.stringify(errorEvent({ eventId: storeId })),
    });
    expect(stored.status).toBe(200);
    const otlp = await fetch(`${a.core.url}/api/${a.project.id}/integration/otlp/v1/logs?sentry_key=${a.project.publicKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpLogWithException()),
    });
    expect(otlp.status).toBe(200);

    await waitFor(() => up.requests.length === 2);
    const envelopes = up.requests.map((request) => request.body.toString().split('\n'));
    const [fromStore, fromOtlp] = envelopes;
    expect(JSON.parse(fromStore?.[0] ?? '')).toEqual({ event_id: storeId });
    expect(JSON.parse(fromStore?.[1] ?? '')).toMatchObject({ type: 'event' });
    expect(JSON.parse(fromStore?.[2] ?? '')).toMatchObject({ event_id: storeId });
    expect(JSON.parse(fromOtlp?.[1] ?? '')).toMatchObject({ type: 'event' });
    expect(JSON.parse(fromOtlp?.[2] ?? '')).toMatchObject({ exception: { values: [{ type: 'PaymentDeclined', value: 'card expired' }] } });
  });

  it('keeps the queue within its bounds: the oldest are dropped and counted', async () => {
    const up = await upstream(() => ({ status: 503, body: 'down for maintenance' }));
    const a = await harness(tempDataDir(), { forwarding: { retryBaseMs: 60_000, retryMaxMs: 60_000, timeoutMs: 2_000 } });
    expect((await a.api('/api/settings', { method: 'PATCH', body: JSON.stringify({ forwarding: { maxQueuedEnvelopes: 3 } }) })).status).toBe(200);
    expect((await setUpstream(a, `http://k@127.0.0.1:${up.port}/3`)).status).toBe(200);
    for (let i = 0; i < 5; i++) await sendEvent(a, errorEvent({}));
    const state = (await projectOf(a)).forwarding;
    expect(state).toMatchObject({ queued: 3, droppedOverflow: 2 });
    await waitFor(async () => (await projectOf(a)).forwarding?.lastError?.message === 'the upstream answered 503: down for maintenance');
  });

  it('refuses upstream DSNs that are not URLs, not http(s), or this Stacktray itself', async () => {
    const a = await harness();
    const cases: [string, string][] = [
      ['not a dsn', 'upstreamDsn: "not a dsn" is not a URL (expected https://<key>@host/<project id>)'],
      ['ftp://key@example.com/1', 'upstreamDsn: the upstream must be an http or https URL, not ftp'],
      ['https://example.com/1', 'upstreamDsn: the upstream DSN has no key (expected https://<key>@host/<project id>)'],
      ['https://key@example.com/', 'upstreamDsn: the upstream DSN does not end with a project id (expected https://<key>@host/<project id>)'],
      [a.project.dsn, 'upstreamDsn: the upstream is this Stacktray itself: its envelopes would be forwarded to it again and again'],
      [a.project.dsn.replace('127.0.0.1', 'localhost'), 'upstreamDsn: the upstream is this Stacktray itself: its envelopes would be forwarded to it again and again'],
    ];
    for (const [dsn, detail] of cases) {
      const response = await setUpstream(a, dsn);
      expect(response.status, dsn).toBe(400);
      expect(response.body.detail).toBe(detail);
    }
    expect((await projectOf(a)).upstreamDsn).toBeNull();
    // A secret key is not kept: only the public key is needed to send.
    const accepted = await setUpstream(a, 'https://abc:secret@sentry.example.com/prefix/77');
    expect(accepted.body.upstreamDsn).toBe('https://abc@sentry.example.com/prefix/77');
  });
});

function otlpLogWithException(): unknown {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeLogs: [{
        logRecords: [{
          timeUnixNano: now,
          severityNumber: 17,
          severityText: 'ERROR',
          body: { stringValue: 'payment failed' },
          attributes: [
            { key: 'exception.type', value: { stringValue: 'PaymentDeclined' } },
            { key: 'exception.message', value: { stringValue: 'card expired' } },
          ],
        }],
      }],
    }],
  };
}

