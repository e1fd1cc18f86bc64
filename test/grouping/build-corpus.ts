/**
 * Assembles the conformance corpus (test/grouping/corpus/*.json) from the captured payloads in
 * test/fixtures/sentry/. The groups are declared here by intent (what a developer would call one
 * issue, and what Sentry does); `expectedContributing` is recorded from the implementation when the
 * corpus is built and then reviewed by hand. Run: npx jiti test/grouping/build-corpus.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupEvent } from '../../src/main/pipeline/grouping/index';
import { fromSdkPayload } from '../unit/grouping/sdk-payload';
import { type CorpusCase, primaryContribution } from './corpus-format';

const FIXTURES = join(__dirname, '../fixtures/sentry');
const OUT = join(__dirname, 'corpus');

const readJson = (path: string): unknown => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
const file = (folder: string) => (name: string) => [name, readJson(`${folder}/${name}.json`)] as const;
const runtime = (language: string) => (install: string, index: number) =>
  [`${install}-${index}`, (readJson(`runtimes/captured/${language}-${install}.json`) as unknown[])[index]] as const;

interface Definition {
  name: string;
  description: string;
  source: string;
  groups: (readonly [string, unknown])[][];
}

const node = file('node');
const browser = file('browser');
const python = file('python');
const java = runtime('java');
const go = runtime('go');
const ruby = runtime('ruby');
const php = runtime('php');
const dotnet = runtime('dotnet');
const both = <T>(make: (install: string, index: number) => T, ...indexes: number[]): T[] =>
  ['base', 'shifted'].flatMap((install) => indexes.map((index) => make(install, index)));
const installs = (make: (name: string) => readonly [string, unknown], stem: string, ...runs: string[]) => runs.map((run) => make(`${run}-${stem}`));

const DEFINITIONS: Definition[] = [
  {
    name: 'node-stable-across-installs',
    description: 'Same errors from an app installed at three paths, one with all lines shifted: ids in messages, line numbers and absolute paths never split an issue; different call sites do.',
    source: '@sentry/node 11.12.0, test/fixtures/sentry/capture-node.mjs',
    groups: [
      [...installs(node, 'ids-1', 'base', 'shifted', 'moved'), ...installs(node, 'ids-2', 'base', 'shifted', 'moved')],
      installs(node, 'callsites-1', 'base', 'shifted', 'moved'),
      installs(node, 'callsites-2', 'base', 'shifted', 'moved'),
    ],
  },
  {
    name: 'node-messages',
    description: 'captureMessage with the SDK-attached synthetic exception: grouped by call site (context line), not by the text; "User <int> not found" is one issue.',
    source: '@sentry/node 11.12.0, test/fixtures/sentry/capture-node.mjs',
    groups: [
      [...installs(node, 'messages-1', 'base', 'shifted', 'moved'), ...installs(node, 'messages-2', 'base', 'shifted', 'moved')],
      installs(node, 'messages-3', 'base', 'shifted', 'moved'),
    ],
  },
  {
    name: 'node-types-chains-fingerprints',
    description: 'Another exception type from the same function, a cause chain, a custom and a hybrid SDK fingerprint: each its own issue.',
    source: '@sentry/node 11.12.0, test/fixtures/sentry/capture-node.mjs',
    groups: [[node('base-ids-1')], [node('base-types-1')], [node('base-chained-1')], [node('base-fingerprint-1')], [node('base-fingerprint-2')]],
  },
  ...(['plain', 'min'] as const).map((build) => ({
    name: `browser-${build}`,
    description: `Browser errors from a ${build === 'min' ? 'minified' : 'plain'} rolldown bundle, served from two dev-server ports and rebuilt once (new bundle hash): one issue per error.`,
    source: '@sentry/browser 11.12.0 in Chromium, test/fixtures/sentry/capture-browser.mjs',
    groups: [
      [browser(`${build}-port1-1`), browser(`${build}-port2-1`), browser(`${build}Rebuilt-port1-1`)],
      ['port1-2', 'port1-3', 'port2-2', 'port2-3'].map((run) => browser(`${build}-${run}`)).concat([browser(`${build}Rebuilt-port1-2`), browser(`${build}Rebuilt-port1-3`)]),
    ],
  })),
  {
    name: 'python',
    description: 'Python errors from two installs (second shifted): ids, call sites, types, a `raise … from` chain, logging templates ("User %s not found") and a custom fingerprint.',
    source: 'Debian python3-sentry-sdk 1.9.10, test/fixtures/sentry/capture-python.py',
    groups: [
      [...installs(python, 'ids-1', 'base', 'shifted'), ...installs(python, 'ids-2', 'base', 'shifted')],
      [python('base-callsites-1')],
      [python('base-callsites-2')],
      [python('base-types-1')],
      [python('base-types-2')],
      [python('base-chained-1')],
      [...installs(python, 'messages-1', 'base', 'shifted'), ...installs(python, 'messages-2', 'base', 'shifted')],
      installs(python, 'messages-3', 'base', 'shifted'),
      [python('base-fingerprint-1')],
    ],
  },
  {
    name: 'java',
    description: 'JVM stacks from OpenJDK 17 (source launcher frames out of app). Lambda method names (lambda$main$N) never contribute, only their class, as in Sentry: save() reached through two different lambdas is one issue; total() reached through an extra Supplier lambda is another path, so another issue. A Caused-by chain, reflection, a custom fingerprint.',
    source: 'OpenJDK 17 stack traces in sentry-java event shape, test/fixtures/sentry/runtimes/Shop.java.txt',
    groups: [both(java, 0, 1), both(java, 2), both(java, 3), both(java, 4), both(java, 5, 6), both(java, 7)],
  },
  {
    name: 'go',
    description: 'Go stacks (runtime.Callers at capture, as sentry-go): ids, another call site, two closures of main (func1/func2 are different code, so different issues), recovered index panics, a custom fingerprint.',
    source: 'Go 1.19 stacks in sentry-go event shape, test/fixtures/sentry/runtimes/shop.go.txt',
    groups: [both(go, 0, 1), both(go, 2), both(go, 3), both(go, 4), both(go, 5, 6), both(go, 7)],
  },
  {
    name: 'ruby',
    description: 'Ruby backtraces: block depth labels, rescue frames, cause chains, a multi-line NoMethodError, a custom fingerprint.',
    source: 'Ruby 3.1 backtrace_locations in sentry-ruby event shape, test/fixtures/sentry/runtimes/shop.rb.txt',
    groups: [both(ruby, 0, 1), both(ruby, 2, 3), both(ruby, 4, 5), both(ruby, 6), both(ruby, 7)],
  },
  {
    name: 'php',
    description: 'PHP traces with namespaced classes and closures, a previous-exception chain, engine errors, a custom fingerprint.',
    source: 'PHP 8.2 getTrace() in sentry-php event shape, test/fixtures/sentry/runtimes/shop.php.txt',
    groups: [both(php, 0, 1), both(php, 2), both(php, 3), both(php, 4), both(php, 5)],
  },
  {
    name: 'dotnet',
    description: '.NET (Mono) stacks: compiler-generated closure classes, an inner-exception chain, an AggregateException group from Task.WhenAll (two similar inner exceptions collapse), a custom fingerprint.',
    source: 'Mono 6.8 System.Diagnostics.StackTrace in sentry-dotnet event shape, test/fixtures/sentry/runtimes/Shop.cs.txt',
    groups: [both(dotnet, 0, 1), both(dotnet, 2), both(dotnet, 3), both(dotnet, 4), both(dotnet, 5), both(dotnet, 6)],
  },
];

for (const definition of DEFINITIONS) {
  const events: CorpusCase['events'] = {};
  for (const [id, payload] of definition.groups.flat()) events[id] = payload as Record<string, unknown>;
  const expectedContributing: CorpusCase['expectedContributing'] = {};
  for (const group of definition.groups) {
    const [id, payload] = group[0] ?? [];
    if (id !== undefined) expectedContributing[id] = primaryContribution(groupEvent(fromSdkPayload(payload as Record<string, unknown>)));
  }
  const corpusCase: CorpusCase = {
    description: definition.description,
    source: definition.source,
    events,
    expectedGroups: definition.groups.map((group) => group.map(([id]) => id)),
    expectedContributing,
  };
  writeFileSync(join(OUT, `${definition.name}.json`), `${JSON.stringify(corpusCase, null, 1)}\n`);
  console.log(`${definition.name}: ${Object.keys(events).length} events, ${definition.groups.length} groups`);
}
