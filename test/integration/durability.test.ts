import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/cli-process';
import { buildEnvelope, errorEvent, randomHex, tempDataDir } from '../support/core-harness';
import type { ProjectList } from '../../src/shared/api';

describe('durability', () => {
  it('every acknowledged event survives SIGKILL mid-stream, and the database stays intact', async () => {
    const dataDir = tempDataDir('stacktray-durability-');
    const first = await startCli(dataDir);
    const { projects } = (await (await fetch(`${first.url}/api/projects`)).json()) as ProjectList;
    const project = projects[0];
    if (!project) throw new Error('no default project');
    const target = `${first.url}/api/${project.id}/envelope/?sentry_key=${project.publicKey}`;

    const acknowledged: string[] = [];
    let killed = false;
    const worker = async (lane: number) => {
      for (let n = 0; !killed && n < 5000; n++) {
        const eventId = randomHex();
        const body = buildEnvelope({}, [{ header: { type: 'event' }, payload: errorEvent({ eventId, fn: `fn${(lane * 7 + n) % 5}` }) }]);
        try {
          const response = await fetch(target, { method: 'POST', body });
          if (response.status === 200) acknowledged.push(eventId);
        } catch {
          return; // the server is gone
        }
        if (acknowledged.length >= 400 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, lane) => worker(lane)));
    expect(await first.exited).toBeNull();
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);

    const second = await startCli(dataDir);
    try {
      for (const eventId of acknowledged) {
        const response = await fetch(`${second.url}/api/events/${eventId}`);
        expect(response.status, `event ${eventId} was acknowledged but is missing`).toBe(200);
      }
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }

    const db = new Database(join(dataDir, 'stacktray.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      const counted = (db.prepare('SELECT sum(count) AS n FROM issues').get() as { n: number }).n;
      expect(events).toBeGreaterThanOrEqual(acknowledged.length);
      expect(counted).toBe(events);
      const perIssue = db
        .prepare('SELECT i.id, i.count, (SELECT count(*) FROM events e WHERE e.issue_id = i.id) AS stored FROM issues i')
        .all() as { id: number; count: number; stored: number }[];
      for (const row of perIssue) expect(row.count, `issue ${row.id}`).toBe(row.stored);
      expect(perIssue).toHaveLength(5);
    } finally {
      db.close();
    }
  }, 60_000);
});
