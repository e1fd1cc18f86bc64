import { describe, expect, it } from 'vitest';
import { normalizeEvent, type NormalizeContext } from '../../../src/main/pipeline/normalize';
import type { SentryEvent } from '../../../src/shared/event';

const RECEIVED = 1_764_100_000.25;
const ID = '9ec79c33ec9942ab8353589fcb2e04dc';

function normalized(raw: Record<string, unknown>, ctx: Partial<NormalizeContext> = {}): SentryEvent {
  const result = normalizeEvent({ event_id: ID, ...raw }, { receivedAt: RECEIVED, ...ctx });
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  return result.event;
}

describe('normalizeEvent: what relay rejects', () => {
  it.each([
    [null, 'event payload is null, not a JSON object'],
    [[1, 2], 'event payload is an array, not a JSON object'],
    ['text', 'event payload is a string, not a JSON object'],
    [42, 'event payload is a number, not a JSON object'],
  ])('%j → reason', (raw, reason) => {
    expect(normalizeEvent(raw, { receivedAt: RECEIVED })).toEqual({ ok: false, reason });
  });
});

describe('normalizeEvent: defaults', () => {
  it('fills the required fields of an empty event', () => {
    const result = normalizeEvent({}, { receivedAt: RECEIVED });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { event_id, ...rest } = result.event;
    expect(event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(rest).toEqual({ timestamp: RECEIVED, received: RECEIVED, platform: 'other', level: 'error', type: 'default' });
  });

  it('uses the fallbacks from the envelope and item headers', () => {
    const result = normalizeEvent({}, { receivedAt: RECEIVED, eventIdFallback: ID.toUpperCase(), platformFallback: 'python' });
    expect(result.ok && [result.event.event_id, result.event.platform]).toEqual([ID, 'python']);
  });
});

describe('normalizeEvent: event_id', () => {
  it.each([
    ['9EC79C33-EC99-42AB-8353-589FCB2E04DC', ID],
    ['{9ec79c33-ec99-42ab-8353-589fcb2e04dc}', ID],
    [ID, ID],
  ])('%s → %s', (input, expected) => {
    expect(normalized({ event_id: input }).event_id).toBe(expected);
  });

  it('treats the nil id as unusable in every spelling, the plain one included', () => {
    for (const nil of ['0'.repeat(32), '00000000-0000-0000-0000-000000000000']) {
      expect(normalized({ event_id: nil }, { eventIdFallback: 'ab'.repeat(16) }).event_id).toBe('ab'.repeat(16));
    }
    expect(normalized({ event_id: ` ${ID} ` }).event_id).toBe(ID);
    expect(normalized({ event_id: `${ID}0` }, { eventIdFallback: 'ab'.repeat(16) }).event_id).toBe('ab'.repeat(16));
  });

  it('replaces an unusable id with the fallback, else a fresh one', () => {
    expect(normalized({ event_id: 'nope' }, { eventIdFallback: 'ab'.repeat(16) }).event_id).toBe('ab'.repeat(16));
    const fresh = normalized({ event_id: 12 }).event_id;
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh).not.toBe(ID);
  });
});

describe('normalizeEvent: timestamp', () => {
  it.each([
    [1_764_000_000.5, 1_764_000_000.5],
    ['1764000000.25', 1_764_000_000.25],
    ['2025-11-24T16:00:00Z', 1_764_000_000],
    ['2025-11-24T16:00:00.123456Z', 1_764_000_000.123456],
    ['2025-11-24T17:00:00+01:00', 1_764_000_000],
    ['2025-11-24T16:00:00', 1_764_000_000],
    ['2025-11-24 16:00:00.5', 1_764_000_000.5],
  ])('%j → %d', (input, expected) => {
    expect(normalized({ timestamp: input }).timestamp).toBeCloseTo(expected, 5);
  });

  it.each([['not a date'], [-5], [null], [{}], [RECEIVED + 7200]])('%j → received time', (input) => {
    expect(normalized({ timestamp: input }).timestamp).toBe(RECEIVED);
  });
});

describe('normalizeEvent: platform and level', () => {
  it.each([
    ['node', 'node'],
    ['Python', 'python'],
    ['unity', 'other'],
    [7, 'other'],
  ])('platform %j → %s', (input, expected) => {
    expect(normalized({ platform: input }).platform).toBe(expected);
  });

  it.each([
    ['warn', 'warning'],
    ['WARNING', 'warning'],
    ['critical', 'fatal'],
    ['fatal', 'fatal'],
    ['log', 'info'],
    ['debug', 'debug'],
    [40, 'error'],
    [30, 'warning'],
    [20, 'info'],
    ['bogus', 'error'],
    [undefined, 'error'],
  ])('level %j → %s', (input, expected) => {
    expect(normalized({ level: input }).level).toBe(expected);
  });
});

describe('normalizeEvent: message and logentry', () => {
  it('keeps a plain message string', () => {
    const event = normalized({ message: 'User 123 not found' });
    expect(event.message).toBe('User 123 not found');
    expect(event.logentry).toBeUndefined();
  });

  it('formats a logentry from positional params', () => {
    const event = normalized({ logentry: { message: 'User %s has %d items (100%%)', params: ['u-1', 3.7] } });
    expect(event.logentry).toEqual({ message: 'User %s has %d items (100%%)', params: ['u-1', 3.7], formatted: 'User u-1 has 3 items (100%)' });
    expect(event.message).toBe('User u-1 has 3 items (100%)');
  });

  it('formats named params and leaves unmatched placeholders', () => {
    const event = normalized({ logentry: { message: '%(user)s paid %s', params: { user: 'jane' } } });
    expect(event.message).toBe('jane paid %s');
  });

  it('prefers an explicit formatted text and reads the legacy interface name', () => {
    expect(normalized({ logentry: { message: 'a %s', params: ['b'], formatted: 'given' } }).message).toBe('given');
    expect(normalized({ 'sentry.interfaces.Message': { message: 'legacy' } }).message).toBe('legacy');
    expect(normalized({ message: { message: 'tmpl %s', params: ['x'] } }).message).toBe('tmpl x');
  });

  it('caps the message at 8192 characters', () => {
    const message = normalized({ message: 'x'.repeat(10_000) }).message!;
    expect(message.length).toBe(8192);
    expect(message.endsWith('...')).toBe(true);
  });
});

describe('normalizeEvent: exceptions and frames', () => {
  const frames = [
    { filename: 'a.js', function: 'outer', lineno: 1, colno: '7', in_app: true },
    'not a frame',
    null,
    { abs_path: 'https://cdn.example.com/static/app.min.js?v=3', function: 'inner', lineno: 'x', colno: -1 },
  ];

  it('accepts {values}, a bare list or one bare value', () => {
    const value = { type: 'TypeError', value: 'boom' };
    expect(normalized({ exception: { values: [value] } }).exception).toEqual({ values: [value] });
    expect(normalized({ exception: [value] }).exception).toEqual({ values: [value] });
    expect(normalized({ exception: value }).exception).toEqual({ values: [value] });
    expect(normalized({ exception: value }).type).toBe('error');
  });

  it('drops non-object frames, fixes numbers and fills filename from abs_path', () => {
    const event = normalized({ exception: { values: [{ type: 'E', stacktrace: { frames } }] } });
    expect(event.exception!.values[0]!.stacktrace).toEqual({
      frames: [
        { filename: 'a.js', function: 'outer', lineno: 1, colno: 7, in_app: true },
        { abs_path: 'https://cdn.example.com/static/app.min.js?v=3', filename: '/static/app.min.js', function: 'inner' },
      ],
    });
  });

  it('keeps every string field of a frame as a string within its limit, and drops the rest', () => {
    const long = 'x'.repeat(2000);
    const frame = normalized({
      exception: [
        {
          type: 'E',
          stacktrace: {
            frames: [
              {
                filename: long, abs_path: 'https://x.test/a.js', module: 'm', package: '/lib/p.so', function: long, raw_function: 'rf',
                symbol: 7, platform: 'x'.repeat(70), instruction_addr: '0x1f', lineno: '12', colno: 3.5, in_app: 'yes', context_line: 5,
              },
            ],
          },
        },
      ],
    }).exception!.values[0]!.stacktrace!.frames[0]!;
    expect(frame).toEqual({
      filename: `${'x'.repeat(1021)}...`,
      abs_path: 'https://x.test/a.js',
      module: 'm',
      package: '/lib/p.so',
      function: `${'x'.repeat(253)}...`,
      raw_function: 'rf',
      platform: `${'x'.repeat(61)}...`,
      instruction_addr: '0x1f',
      lineno: 12,
    });
    expect(Object.keys(frame)).toEqual(['filename', 'abs_path', 'module', 'package', 'function', 'raw_function', 'platform', 'instruction_addr', 'lineno']);
  });

  it('keeps the interfaces in one order whatever order they were sent in', () => {
    const event = normalized({
      sdk: { name: 'sentry.python', version: '2.0.0' },
      tags: { a: 'b' },
      user: { id: 'u1' },
      breadcrumbs: [{ message: 'm' }],
      exception: [{ type: 'E' }],
      contexts: { os: { name: 'Linux' } },
      extra: { k: 1 },
    });
    expect(Object.keys(event)).toEqual(['event_id', 'timestamp', 'received', 'platform', 'level', 'exception', 'breadcrumbs', 'user', 'contexts', 'tags', 'extra', 'sdk', 'type']);
  });

  it('keeps the mechanism and chain ids, oldest exception first', () => {
    const event = normalized({
      exception: {
        values: [
          { type: 'Error', value: 'inner', mechanism: { type: 'chained', source: 'cause', exception_id: 1, parent_id: 0 } },
          { type: 'Error', value: 'outer', mechanism: { handled: false, exception_id: '0', is_exception_group: 'no' } },
        ],
      },
    });
    expect(event.exception!.values.map((value) => [value.value, value.mechanism])).toEqual([
      ['inner', { type: 'chained', source: 'cause', exception_id: 1, parent_id: 0 }],
      ['outer', { type: 'generic', handled: false, exception_id: 0 }],
    ]);
  });

  it('splits "Type: value" when the type is missing, but not for synthetic exceptions', () => {
    expect(normalized({ exception: [{ value: 'ZeroDivisionError: division by zero' }] }).exception!.values[0]).toEqual({
      type: 'ZeroDivisionError',
      value: 'division by zero',
    });
    const synthetic = { value: 'Note: disk low', mechanism: { type: 'generic', synthetic: true } };
    expect(normalized({ exception: [synthetic] }).exception!.values[0]).toEqual(synthetic);
  });

  it('stringifies non-string values and drops empty exceptions', () => {
    const event = normalized({ exception: [{ type: 'Thrown', value: { code: 7 } }, { module: 'm' }, 5, { value: 42 }] });
    expect(event.exception!.values).toEqual([{ type: 'Thrown', value: '{"code":7}' }, { value: '42' }]);
    expect(normalized({ exception: [{}] }).exception).toBeUndefined();
  });

  it('keeps the first and last 125 frames of a 1000-frame stack and says which were left out', () => {
    const long = Array.from({ length: 1000 }, (_, index) => ({ function: `f${index}` }));
    const stacktrace = normalized({ exception: [{ type: 'E', stacktrace: { frames: long } }] }).exception!.values[0]!.stacktrace!;
    const kept = stacktrace.frames;
    expect(kept).toHaveLength(250);
    expect(kept[0]).toEqual({ function: 'f0' });
    expect(kept[124]).toEqual({ function: 'f124' });
    expect(kept[125]).toEqual({ function: 'f875' });
    expect(kept[249]).toEqual({ function: 'f999' });
    expect(stacktrace.frames_omitted).toEqual([125, 875]);
  });

  it("keeps an SDK's own frames_omitted when it is a range, and drops it otherwise", () => {
    const frames = [{ function: 'a' }, { function: 'b' }];
    const stacktraceOf = (frames_omitted: unknown) =>
      normalized({ exception: [{ type: 'E', stacktrace: { frames, frames_omitted } }] }).exception!.values[0]!.stacktrace!;
    expect(stacktraceOf([1, 41]).frames_omitted).toEqual([1, 41]);
    expect(stacktraceOf([41, 1])).toEqual({ frames });
    expect(stacktraceOf(['1', 41])).toEqual({ frames });
    expect(stacktraceOf([1, 2, 3])).toEqual({ frames });
  });

  it('normalizes context lines and frame vars', () => {
    const frame = {
      function: 'f',
      context_line: 'x = 1',
      pre_context: ['a', null, 3],
      post_context: 'bad',
      vars: ['first', { nested: true }],
    };
    expect(normalized({ exception: [{ type: 'E', stacktrace: { frames: [frame] } }] }).exception!.values[0]!.stacktrace!.frames[0]).toEqual({
      function: 'f',
      context_line: 'x = 1',
      pre_context: ['a', '', ''],
      vars: { '0': 'first', '1': { nested: true } },
    });
  });

  it('moves a top-level stacktrace into the single exception, else into a thread', () => {
    const stacktrace = { frames: [{ function: 'main' }] };
    expect(normalized({ exception: [{ type: 'E' }], stacktrace }).exception!.values[0]!.stacktrace).toEqual(stacktrace);
    expect(normalized({ message: 'm', stacktrace }).threads).toEqual({ values: [{ stacktrace }] });
  });

  it('normalizes threads from a list or {values}', () => {
    const thread = { id: 1, name: 'main', crashed: true, current: 'yes', stacktrace: { frames: [{ function: 'run' }] } };
    const expected = { values: [{ id: 1, name: 'main', crashed: true, stacktrace: { frames: [{ function: 'run' }] } }] };
    expect(normalized({ threads: [thread] }).threads).toEqual(expected);
    expect(normalized({ threads: { values: [thread, 'x'] } }).threads).toEqual(expected);
  });
});

describe('normalizeEvent: breadcrumbs', () => {
  it('accepts a list or {values}, converts timestamps and levels', () => {
    const crumbs = [
      { timestamp: '2025-11-24T16:00:00.5Z', category: 'http', level: 'warn', data: { url: '/x' } },
      'junk',
      { timestamp: 1_764_000_001, message: 'clicked', level: 'nonsense' },
    ];
    const expected = {
      values: [
        { timestamp: 1_764_000_000.5, category: 'http', level: 'warning', data: { url: '/x' } },
        { timestamp: 1_764_000_001, message: 'clicked' },
      ],
    };
    expect(normalized({ breadcrumbs: crumbs }).breadcrumbs).toEqual(expected);
    expect(normalized({ breadcrumbs: { values: crumbs } }).breadcrumbs).toEqual(expected);
  });

  it('keeps the last 100', () => {
    const crumbs = Array.from({ length: 150 }, (_, index) => ({ message: `m${index}` }));
    const kept = normalized({ breadcrumbs: crumbs }).breadcrumbs!.values;
    expect(kept).toHaveLength(100);
    expect(kept[0]).toEqual({ message: 'm50' });
    expect(kept[99]).toEqual({ message: 'm149' });
  });
});

describe('normalizeEvent: user and request', () => {
  it('keeps user fields, stringifies ids, validates the IP and replaces {{auto}}', () => {
    expect(normalized({ user: { id: 42, email: 'jane@example.com', ip_address: '10.0.0.1', plan: 'pro' } }).user).toEqual({
      id: '42',
      email: 'jane@example.com',
      ip_address: '10.0.0.1',
      plan: 'pro',
    });
    expect(normalized({ user: { id: 'u', ip_address: 'not-an-ip' } }).user).toEqual({ id: 'u' });
    expect(normalized({ user: { ip_address: '{{auto}}' } }, { clientIp: '127.0.0.1' }).user).toEqual({ ip_address: '127.0.0.1' });
    expect(normalized({ user: 'jane' }).user).toBeUndefined();
  });

  it('turns headers into pairs, splits the URL and parses query strings and cookies', () => {
    const event = normalized({
      request: {
        method: 'post',
        url: 'https://shop.example.com/cart?id=7&x=a%20b#top',
        headers: { 'content-type': 'application/json', 'X-FORWARDED-FOR': ['1.1.1.1', '2.2.2.2'], Cookie: 'a=1; b=2', empty: null },
        data: { total: 3 },
      },
    });
    expect(event.request).toEqual({
      method: 'POST',
      url: 'https://shop.example.com/cart',
      fragment: 'top',
      query_string: [
        ['id', '7'],
        ['x', 'a b'],
      ],
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Forwarded-For', '1.1.1.1'],
        ['X-Forwarded-For', '2.2.2.2'],
      ],
      cookies: [
        ['a', '1'],
        ['b', '2'],
      ],
      data: { total: 3 },
    });
  });

  it('accepts query_string as a string, an object or pairs', () => {
    const pairs = [
      ['a', '1'],
      ['b', '2'],
    ];
    expect(normalized({ request: { query_string: '?a=1&b=2' } }).request!.query_string).toEqual(pairs);
    expect(normalized({ request: { query_string: { a: 1, b: '2' } } }).request!.query_string).toEqual(pairs);
    expect(normalized({ request: { query_string: [['a', '1'], ['b', 2], ['bad']] } }).request!.query_string).toEqual(pairs);
  });
});

describe('normalizeEvent: tags, contexts, extra and the rest', () => {
  it('turns tags into string pairs and drops empties', () => {
    expect(normalized({ tags: { region: 'eu', retries: 3, on: true, empty: '', none: null, multi: 'a\nb' } }).tags).toEqual([
      ['region', 'eu'],
      ['retries', '3'],
      ['on', 'True'],
    ]);
    expect(normalized({ tags: [['a', 'x'], ['b', 2], ['', 'y'], ['a', 'again'], 'c:z', ['bad']] }).tags).toEqual([
      ['a', 'x'],
      ['b', '2'],
      ['c', 'z'],
    ]);
  });

  it('caps tag keys and values at 200 characters', () => {
    const [[key, value]] = normalized({ tags: { ['k'.repeat(300)]: 'v'.repeat(300) } }).tags as [[string, string]];
    expect([key.length, value.length, value.endsWith('...')]).toEqual([200, 200, true]);
  });

  it('keeps object contexts with a type, dropping others', () => {
    expect(normalized({ contexts: { cart: { items: 2 }, os: { name: 'Linux', type: 'os' }, bad: 'x' } }).contexts).toEqual({
      cart: { items: 2, type: 'cart' },
      os: { name: 'Linux', type: 'os' },
    });
  });

  it('trims data nested deeper than 10 levels in extra', () => {
    let deep: Record<string, unknown> = { leaf: 'end' };
    for (let level = 0; level < 15; level += 1) deep = { next: deep };
    const extra = normalized({ extra: { deep, flat: 1 } }).extra!;
    let depth = 0;
    let node: unknown = extra;
    while (typeof node === 'object' && node !== null && ('next' in node || 'deep' in node)) {
      node = (node as Record<string, unknown>)['next'] ?? (node as Record<string, unknown>)['deep'];
      depth += 1;
    }
    expect(depth).toBe(9);
    expect(node).toEqual({});
    expect(extra['flat']).toBe(1);
  });

  it('keeps release, dist, environment as strings and the sdk, fingerprint and modules', () => {
    const event = normalized({
      release: 'app@1.0.0',
      dist: 12,
      environment: ' production ',
      server_name: 'host-1',
      logger: 'checkout',
      transaction: 'POST /cart',
      sdk: { name: 'sentry.javascript.node', version: '11.12.0', integrations: ['Http', 3], packages: [{ name: 'npm:@sentry/node', version: '11.12.0' }, {}] },
      fingerprint: ['{{ default }}', 42, null, true, { a: 1 }],
      modules: { express: '4.18.0', left: 1 },
    });
    expect({
      release: event.release,
      dist: event.dist,
      environment: event.environment,
      server_name: event.server_name,
      logger: event.logger,
      transaction: event.transaction,
      sdk: event.sdk,
      fingerprint: event.fingerprint,
      modules: event.modules,
    }).toEqual({
      release: 'app@1.0.0',
      dist: '12',
      environment: 'production',
      server_name: 'host-1',
      logger: 'checkout',
      transaction: 'POST /cart',
      sdk: { name: 'sentry.javascript.node', version: '11.12.0', integrations: ['Http'], packages: [{ name: 'npm:@sentry/node', version: '11.12.0' }] },
      fingerprint: ['{{ default }}', '42', 'True'],
      modules: { express: '4.18.0', left: '1' },
    });
    expect(normalized({ sdk: { name: 'only-name' } }).sdk).toBeUndefined();
  });

  it('keeps a "__proto__" key as data instead of a prototype', () => {
    const event = normalized(JSON.parse('{"extra":{"__proto__":{"polluted":true}}}') as Record<string, unknown>);
    expect(Object.keys(event.extra!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(event.extra)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('survives very deep nesting anywhere in the payload', () => {
    const depth = 100_000;
    const deep = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
    const event = normalized({ extra: { deep }, exception: [{ type: 'E', value: deep }], contexts: { c: deep }, tags: { t: deep } });
    expect(event.exception!.values[0]!.value!.startsWith('{"a":{"a":')).toBe(true);
    expect(JSON.stringify(event.extra).length).toBeLessThan(200);
    expect(event.tags).toBeUndefined();
  });

  it('survives unicode edge cases (lone surrogates, astral characters cut at the cap)', () => {
    const event = normalized({ message: '\ud800 lone', tags: { t: '😀'.repeat(250) }, extra: { '\udfff': '\u0000' } });
    expect(event.message).toBe('\ud800 lone');
    const value = event.tags![0]![1];
    expect(Array.from(value)).toHaveLength(200);
    expect(value).toBe('😀'.repeat(197) + '...');
    expect(event.extra).toEqual({ '\udfff': '\u0000' });
  });
});
