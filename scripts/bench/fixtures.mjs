// The envelopes the bench replays: real @sentry/node envelopes, each with the offsets of its
// event_id so the load generator can stamp a unique id per request without re-serializing
// (the id is fixed-width hex, so every item `length` stays valid).
//
// Three loads are built from a fixture set (issue 14):
//   mix   — every envelope of the set in turn (the realistic mix of captured SDK traffic);
//   hot   — the set's first error envelope only (one hot issue: a crash loop);
//   storm — that envelope with its exception type varied 500 ways (500 distinct issues).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROJECT_FIXTURES = join(root, 'test', 'fixtures', 'bench', 'envelopes');
export const WIRE_FIXTURES = join(root, '..', 'shared', 'fixtures', 'wire');
export const LOADS = ['hot', 'storm', 'mix'];
export const STORM_ISSUES = 500;

/** `bench`: the project's own captures (always there); `wire`: ../shared/fixtures/wire (optional). */
export function fixtureSetNames() {
  return existsSync(WIRE_FIXTURES) ? ['wire', 'bench'] : ['bench'];
}

export function loadFixtures(set, load = 'mix') {
  const bodies = set === 'wire' ? wireEventEnvelopes() : projectEnvelopes();
  if (bodies.length === 0) throw new Error(`no envelopes in fixture set "${set}"`);
  const chosen = load === 'mix' ? bodies : load === 'hot' ? [hottest(bodies)] : stormOf(hottest(bodies));
  if (!chosen) throw new Error(`unknown load "${load}" (one of ${LOADS.join(', ')})`);
  return chosen.map(({ name, body }) => ({ name, body, idOffsets: eventIdOffsets(body, name) }));
}

/** The crash loop: the first envelope whose event has an exception with a type. */
function hottest(bodies) {
  return bodies.find(({ body }) => exceptionOf(splitEnvelope(body).event)?.type) ?? bodies[0];
}

/** STORM_ISSUES copies of one envelope, each with its own exception type (so its own issue). */
function stormOf({ name, body }) {
  const parts = splitEnvelope(body);
  return Array.from({ length: STORM_ISSUES }, (_, n) => {
    const event = JSON.parse(parts.lines[parts.eventLine]);
    const exception = exceptionOf(event);
    exception.type = `${exception.type ?? 'Error'}${String(n).padStart(3, '0')}`;
    const lines = [...parts.lines];
    lines[parts.eventLine] = JSON.stringify(event);
    const itemHeader = JSON.parse(lines[parts.eventLine - 1]);
    if (itemHeader.length !== undefined) {
      itemHeader.length = Buffer.byteLength(lines[parts.eventLine]);
      lines[parts.eventLine - 1] = JSON.stringify(itemHeader);
    }
    return { name: `${name}#${n}`, body: Buffer.from(lines.join('\n')) };
  });
}

/** Newline-separated envelope whose items carry no binary payloads (true of these fixtures). */
function splitEnvelope(body) {
  const lines = body.toString('utf8').split('\n');
  const eventLine = lines.findIndex((line, i) => i > 0 && /"type":"event"/.test(lines[i - 1] ?? '') && line.startsWith('{'));
  if (eventLine === -1) throw new Error('envelope has no event item');
  return { lines, eventLine, event: JSON.parse(lines[eventLine]) };
}

function exceptionOf(event) {
  return event.exception?.values?.at(-1);
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
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
