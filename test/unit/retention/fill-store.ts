/** A real store on a temporary file, filled through the real normalize → group → ingest pipeline. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/main/store';
import { IngestPipeline } from '../../../src/main/pipeline/ingest-pipeline';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';
import { groupEvent } from '../../../src/main/pipeline/grouping';
import type { IncomingEvent } from '../../../src/main/ingest/ingest-sink';

export interface FilledStore {
  file: string;
  store: Store;
  pipeline: IngestPipeline;
  projectId: number;
  /** Stores `count` events of the issue named `key`, received at `receivedAt` (seconds). */
  add(key: string, count: number, options?: { receivedAt?: number; user?: (n: number) => string; attachment?: boolean }): Promise<string[]>;
  /** Sends these events (returned by `add`) again, as an SDK retrying a send would. */
  resend(eventIds: string[]): Promise<void>;
}

let sequence = 0;

/** `prepare` may create the database file first (e.g. with other pragmas) before the store opens it. */
export function tempStore(prepare?: (file: string) => void): FilledStore {
  const dir = mkdtempSync(join(tmpdir(), 'stacktray-retention-'));
  const file = join(dir, 'stacktray.db');
  prepare?.(file);
  const store = openStore(file, () => 'http://127.0.0.1:8969');
  store.ensureDefaultProject();
  const projectId = store.projects.list()[0]?.id ?? 1;
  const pipeline = new IngestPipeline(store, (event) => groupEvent(event), () => undefined);
  const sentPayloads = new Map<string, string>();
  return {
    file,
    store,
    pipeline,
    projectId,
    async resend(eventIds) {
      const events = eventIds.map((eventId) => {
        const payload = sentPayloads.get(eventId);
        if (payload === undefined) throw new Error(`${eventId} was not sent by add()`);
        const result = normalizeEvent(JSON.parse(payload) as unknown, { receivedAt: Date.now() / 1000 });
        if (!result.ok) throw new Error(result.reason);
        return { event: result.event, payload, attachments: [] };
      });
      await pipeline.accept({ projectId, events, otherItems: {} });
    },
    async add(key, count, options = {}) {
      const receivedAt = options.receivedAt ?? Date.now() / 1000;
      const ids: string[] = [];
      const events: IncomingEvent[] = [];
      for (let n = 0; n < count; n++) {
        const eventId = (++sequence).toString(16).padStart(32, '0');
        const raw = {
          event_id: eventId,
          timestamp: receivedAt,
          platform: 'node',
          user: options.user ? { id: options.user(n) } : undefined,
          exception: { values: [{ type: 'Error', value: `boom ${key}`, stacktrace: { frames: [{ function: key, filename: `/app/${key}.js`, in_app: true }] } }] },
        };
        const result = normalizeEvent(raw, { receivedAt });
        if (!result.ok) throw new Error(result.reason);
        const payload = JSON.stringify(raw);
        sentPayloads.set(eventId, payload);
        const attachments = options.attachment
          ? [{ filename: `${eventId}.txt`, contentType: 'text/plain', attachmentType: 'event.attachment', data: Buffer.from(`log of ${eventId}`) }]
          : [];
        events.push({ event: result.event, payload, attachments });
        ids.push(eventId);
      }
      for (let start = 0; start < events.length; start += 400) {
        await pipeline.accept({ projectId, events: events.slice(start, start + 400), otherItems: {} });
      }
      return ids;
    },
  };
}

export function scalar(store: Store, sql: string, ...params: unknown[]): number {
  const row = store.db.prepare(sql).get(...params) as Record<string, number> | undefined;
  return Object.values(row ?? {})[0] ?? 0;
}

export function issueIdOf(store: Store, eventId: string): number {
  return scalar(store, 'SELECT issue_id FROM events WHERE event_id = ?', eventId);
}
