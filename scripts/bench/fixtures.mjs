// The envelopes the bench replays: real @sentry/node envelopes, each with the offsets of its
// event_id so the load generator can stamp a unique id per request without re-serializing
// (the id is fixed-width hex, so every item `length` stays valid).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROJECT_FIXTURES = join(root, 'test', 'fixtures', 'bench', 'envelopes');
export const WIRE_FIXTURES = join(root, '..', 'shared', 'fixtures', 'wire');

/** `bench`: the project's own captures (always there); `wire`: ../shared/fixtures/wire (optional). */
export function fixtureSetNames() {
  return existsSync(WIRE_FIXTURES) ? ['wire', 'bench'] : ['bench'];
}

export function loadFixtures(set) {
  const bodies = set === 'wire' ? wireEventEnvelopes() : projectEnvelopes();
  if (bodies.length === 0) throw new Error(`no envelopes in fixture set "${set}"`);
  return bodies.map(({ name, body }) => ({ name, body, idOffsets: eventIdOffsets(body, name) }));
}

function projectEnvelopes() {
  return readdirSync(PROJECT_FIXTURES)
    .filter((name) => name.endsWith('.envelope'))
    .sort()
    .map((name) => ({ name, body: readFileSync(join(PROJECT_FIXTURES, name)) }));
}

/** Every captured request of the shared wire set whose envelope carries an error event. */
function wireEventEnvelopes() {
  const out = [];
  for (const dir of readdirSync(WIRE_FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(WIRE_FIXTURES, dir.name)).sort()) {
      if (!file.endsWith('.json')) continue;
      const request = JSON.parse(readFileSync(join(WIRE_FIXTURES, dir.name, file), 'utf8'));
      if (!String(request.path).includes('/envelope')) continue;
      const body = Buffer.from(request.body_text ?? '', 'utf8');
      if (!body.includes('{"type":"event"')) continue;
      out.push({ name: `${dir.name}/${file}`, body });
    }
  }
  return out;
}

function eventIdOffsets(body, name) {
  const header = JSON.parse(body.subarray(0, body.indexOf(10)).toString('utf8'));
  const id = header.event_id;
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) throw new Error(`${name}: envelope header has no 32-hex event_id`);
  const offsets = [];
  for (let at = body.indexOf(id); at !== -1; at = body.indexOf(id, at + id.length)) offsets.push(at);
  return offsets;
}

export function meanSize(fixtures) {
  return Math.round(fixtures.reduce((sum, f) => sum + f.body.length, 0) / fixtures.length);
}
