import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { groupEvent, parseFingerprintRules } from '../../../src/main/pipeline/grouping/index';
import type { SentryEvent } from '../../../src/shared/event';

const md5 = (...values: string[]): string => createHash('md5').update(values.join('')).digest('hex');

function event(overrides: Partial<SentryEvent>): SentryEvent {
  return {
    event_id: 'a'.repeat(32),
    timestamp: 1,
    received: 1,
    platform: 'python',
    level: 'error',
    exception: {
      values: [
        {
          type: 'DatabaseUnavailable',
          value: 'db-7.internal went away after 30s',
          stacktrace: {
            frames: [
              { module: 'app.jobs', function: 'run', filename: 'app/jobs.py', abs_path: '/srv/app/jobs.py', in_app: true },
              { module: 'psycopg2.pool', function: 'getconn', filename: 'psycopg2/pool.py', abs_path: '/usr/lib/python3/dist-packages/psycopg2/pool.py', in_app: false },
            ],
          },
        },
      ],
    },
    ...overrides,
  };
}

describe('parseFingerprintRules', () => {
  it('parses matchers, negation, quoted values, variables and a title', () => {
    const { rules, errors } = parseFingerprintRules(
      [
        '# database outages are one issue per transaction',
        'error.type:DatabaseUnavailable !tags.region:"eu west" -> system-down, {{ transaction }} title="DB down in {{ transaction }}"',
        '',
        'stack.module:"app.*" message:"*timeout*" -> "timeouts, all of them"',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(rules).toEqual([
      {
        matchers: [
          { key: 'type', pattern: 'DatabaseUnavailable', negated: false },
          { key: 'tags.region', pattern: 'eu west', negated: true },
        ],
        fingerprint: ['system-down', '{{ transaction }}'],
        attributes: { title: 'DB down in {{ transaction }}' },
        text: 'error.type:DatabaseUnavailable !tags.region:"eu west" -> system-down, {{ transaction }} title="DB down in {{ transaction }}"',
      },
      {
        matchers: [
          { key: 'module', pattern: 'app.*', negated: false },
          { key: 'message', pattern: '*timeout*', negated: false },
        ],
        fingerprint: ['timeouts, all of them'],
        attributes: {},
        text: 'stack.module:"app.*" message:"*timeout*" -> "timeouts, all of them"',
      },
    ]);
  });

  it('reports each bad line with its number and keeps the good ones', () => {
    const { rules, errors } = parseFingerprintRules(
      ['error.type:A -> a', 'no arrow here', 'colour:red -> b', 'error.type:B ->', 'error.value:"open -> c', 'error.type:C -> c flavour=x', 'message:[z-a] -> d'].join('\n'),
    );
    expect(rules.map((rule) => rule.fingerprint)).toEqual([['a']]);
    expect(errors).toEqual([
      { line: 2, message: 'expected "matchers -> fingerprint"' },
      { line: 3, message: 'unknown matcher "colour"' },
      { line: 4, message: 'rule has no fingerprint after "->"' },
      { line: 5, message: 'unterminated quoted value' },
      { line: 6, message: 'unknown attribute "flavour" (only title= is supported)' },
      { line: 7, message: 'invalid pattern "[z-a]"' },
    ]);
  });
});

describe('fingerprint rules applied by groupEvent', () => {
  const { rules } = parseFingerprintRules(
    [
      'error.type:DatabaseUnavailable tags.region:eu-* -> system-down, {{ tags.region }} title="Database down ({{ tags.region }})"',
      'stack.abs_path:**/dist-packages/psycopg2/** app:no -> postgres-driver',
    ].join('\n'),
  );

  it('replaces default grouping with the first matching rule and its title', () => {
    const result = groupEvent(event({ tags: [['region', 'eu-west-1']] }), { rules });
    expect(result.hashes).toEqual([md5('system-down', 'eu-west-1')]);
    expect(result.title).toBe('Database down (eu-west-1)');
    expect(result.variants[0]).toMatchObject({ key: 'custom-fingerprint', values: ['system-down', 'eu-west-1'], contributes: true });
    const app = result.variants.find((variant) => variant.key === 'app');
    expect(app).toMatchObject({ contributes: false, hash: null, hint: 'ignored because custom fingerprint takes precedence' });
  });

  it('falls through to later rules and to default grouping when nothing matches', () => {
    const driver = groupEvent(event({ tags: [['region', 'us-east-1']] }), { rules });
    expect(driver.hashes).toEqual([md5('postgres-driver')]);
    const plain = groupEvent(event({ platform: 'python', exception: { values: [{ type: 'KeyError', value: 'x' }] } }), { rules });
    expect(plain.variants.map((variant) => variant.key)).toEqual(['app', 'system']);
    expect(plain.hashes).toEqual([md5('KeyError', 'x')]);
  });

  it('lets a server rule override the SDK fingerprint', () => {
    const result = groupEvent(event({ tags: [['region', 'eu-north-1']], fingerprint: ['client-choice'] }), { rules });
    expect(result.hashes).toEqual([md5('system-down', 'eu-north-1')]);
  });
});

describe('SDK fingerprints and variables', () => {
  it('resolves variables, with <no-…> placeholders for missing values', () => {
    const result = groupEvent(
      event({
        transaction: 'POST /checkout',
        logger: 'jobs',
        fingerprint: ['{{ error.type }}', '{{ function }}', '{{ module }}', '{{ stack.filename }}', '{{ transaction }}', '{{ logger }}', '{{ level }}', '{{ tags.tenant }}', '{{ message }}'],
      }),
    );
    expect(result.variants[0]?.values).toEqual([
      'DatabaseUnavailable',
      'run',
      'app.jobs',
      'app/jobs.py',
      'POST /checkout',
      'jobs',
      'error',
      '<no-value-for-tag-tenant>',
      '<no-message>',
    ]);
  });

  it('treats ["{{ default }}"] as no fingerprint and appends the extras of a hybrid one', () => {
    const plain = groupEvent(event({}));
    expect(groupEvent(event({ fingerprint: ['{{ default }}'] })).hashes).toEqual(plain.hashes);
    const hybrid = groupEvent(event({ fingerprint: ['{{default}}', 'tenant-{{ level }}'] }));
    const app = hybrid.variants.find((variant) => variant.key === 'app');
    expect(app?.values).toEqual(['tenant-error']);
    expect(hybrid.hashes).not.toEqual(plain.hashes);
    expect(hybrid.hashes).toHaveLength(plain.hashes.length);
  });

  it('applies the built-in ChunkLoadError rule to JavaScript only', () => {
    const chunk = (platform: string): SentryEvent =>
      event({ platform, exception: { values: [{ type: 'ChunkLoadError', value: 'Loading chunk 7 failed.' }] } });
    expect(groupEvent(chunk('javascript')).variants[0]).toMatchObject({ key: 'built-in-fingerprint', values: ['chunkloaderror'] });
    expect(groupEvent(chunk('python')).variants[0]?.key).toBe('app');
  });
});
