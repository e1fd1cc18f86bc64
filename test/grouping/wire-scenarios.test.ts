import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupEvent } from '../../src/main/pipeline/grouping/index';
import type { GroupingResult } from '../../src/shared/grouping';
import { fromSdkPayload } from '../unit/grouping/sdk-payload';
import { partition } from './corpus-format';
import { sharedFixture } from '../support/shared-fixtures';

// The shared wire captures (shared/fixtures/wire, see its MANIFEST.md) exist only on development
// machines; a fresh clone skips this replay. The same scenarios are covered by our own captures in
// test/fixtures/sentry/node (node-sdk-grouping.test.ts).
const WIRE = sharedFixture('fixtures/wire', 'the shared wire scenario grouping tests') ?? '';

function scenarioEvents(scenario: string): Map<string, GroupingResult> {
  const results = new Map<string, GroupingResult>();
  for (const file of readdirSync(join(WIRE, scenario)).sort()) {
    const request = JSON.parse(readFileSync(join(WIRE, scenario, file), 'utf8')) as { body_text?: string };
    const lines = (request.body_text ?? '').split('\n');
    for (let i = 1; i + 1 < lines.length; i += 2) {
      const header = JSON.parse(lines[i] || '{}') as { type?: string };
      if (header.type === 'event') results.set(file, groupEvent(fromSdkPayload(JSON.parse(lines[i + 1] ?? '{}') as Record<string, unknown>)));
    }
  }
  return results;
}

describe.skipIf(WIRE === '')('shared wire scenarios group as MANIFEST.md expects', () => {
  it.each([
    ['n1', [['n1-002-envelope.json', 'n1-003-envelope.json', 'n1-004-envelope.json']]],
    ['n2', [['n2-002-envelope.json'], ['n2-003-envelope.json']]],
    ['n3', [['n3-002-envelope.json', 'n3-003-envelope.json'], ['n3-004-envelope.json']]],
    ['n5', [['n5-002-envelope.json']]],
    ['n6', [['n6-002-envelope.json'], ['n6-003-envelope.json']]],
    ['n7', [['n7-002-envelope.json'], ['n7-004-envelope.json']]],
  ])('%s', (scenario, expected) => {
    expect(partition(scenarioEvents(scenario))).toEqual(expected);
  });

  it('titles n3 and n6 as the manifest says', () => {
    const n3 = scenarioEvents('n3');
    expect([...n3.values()].map((result) => result.title)).toEqual(['User 123 not found', 'User 456 not found', 'Payment provider latency above threshold']);
    const n6 = scenarioEvents('n6');
    expect([...n6.values()].map((result) => result.title)).toEqual(['Error: outer', 'PaymentDeclinedError: payment for order 5001 could not be completed']);
  });
});
