import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupEvent } from '../../src/main/pipeline/grouping/index';
import type { GroupingResult } from '../../src/shared/grouping';
import { fromSdkPayload } from '../unit/grouping/sdk-payload';
import { type CorpusCase, normalizeGroups, partition, primaryContribution } from './corpus-format';

const CORPUS = join(__dirname, 'corpus');
const files = readdirSync(CORPUS).filter((file) => file.endsWith('.json')).sort();
const cases = files.map((file) => [file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as CorpusCase] as const);

describe('grouping conformance corpus (real SDK and runtime events)', () => {
  it('holds at least 80 events across JavaScript, Python, Java, Go, Ruby, .NET and PHP', () => {
    expect(cases.reduce((sum, [, corpusCase]) => sum + Object.keys(corpusCase.events).length, 0)).toBeGreaterThanOrEqual(80);
    const platforms = new Set(cases.flatMap(([, corpusCase]) => Object.values(corpusCase.events).map((event) => event['platform'])));
    expect([...platforms].sort()).toEqual(['csharp', 'go', 'java', 'javascript', 'node', 'php', 'python', 'ruby']);
  });

  describe.each(cases)('%s', (_name, corpusCase) => {
    const results = new Map<string, GroupingResult>(
      Object.entries(corpusCase.events).map(([id, payload]) => [id, groupEvent(fromSdkPayload(payload))]),
    );

    it('puts exactly the expected events into one issue each', () => {
      expect(partition(results)).toEqual(normalizeGroups(corpusCase.expectedGroups));
    });

    it('hashes exactly the expected components', () => {
      for (const [id, expected] of Object.entries(corpusCase.expectedContributing)) {
        const result = results.get(id);
        expect(result, id).toBeDefined();
        if (result) expect(primaryContribution(result), id).toEqual(expected);
      }
    });
  });
});
