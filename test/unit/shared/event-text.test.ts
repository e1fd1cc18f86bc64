/** The text rendering of issues and events (MCP answers, `show`, `tail` lines): plain data in, exact text out. */
import { describe, expect, it } from 'vitest';
import type { EventDetail, EventSummary } from '../../../src/shared/api';
import type { SentryEvent } from '../../../src/shared/event';
import type { IssueDetail } from '../../../src/shared/issue';
import {
  bounded,
  breadcrumbsMarkdown,
  eventLine,
  issueMarkdown,
  stacktraceMarkdown,
  tagValuesMarkdown,
} from '../../../src/shared/event-text';

const summary: EventSummary = {
  eventId: 'a'.repeat(32),
  issueId: 7,
  projectId: 1,
  timestamp: '2026-01-02T03:04:05.000Z',
  received: '2026-01-02T03:04:05.100Z',
  release: 'shop@1.2',
  environment: 'prod',
  title: 'ValueError: bad "coupon"',
  level: 'error',
  hash: 'h',
};

const event: SentryEvent = {
  event_id: 'a'.repeat(32),
  timestamp: 1767323045,
  received: 1767323045.1,
  platform: 'python',
  level: 'error',
  exception: {
    values: [
      {
        type: 'KeyError',
        value: "'coupon'",
        stacktrace: { frames: [{ function: 'lookup', filename: 'shop/db.py', lineno: 9, in_app: true, context_line: '    return table[key]' }] },
      },
      {
        type: 'ValueError',
        value: 'bad "coupon"',
        mechanism: { type: 'excepthook', handled: false },
        stacktrace: {
          frames: [
            { function: '_run', filename: 'threading.py', lineno: 1000, in_app: false },
            { function: 'checkout', filename: 'shop/cart.py', lineno: 41, colno: 5, in_app: true, context_line: '        apply(coupon)' },
            { function: 'apply', filename: 'shop/coupons.py', lineno: 12, in_app: true, context_line: '    raise ValueError(msg)' },
          ],
        },
      },
    ],
  },
  breadcrumbs: {
    values: [
      { timestamp: 1767323040, category: 'http', data: { method: 'POST', url: '/cart', status_code: 500 } },
      { timestamp: 1767323041.5, category: 'log', level: 'warning', message: 'coupon\nexpired' },
    ],
  },
  tags: [['browser', 'Firefox 120']],
  user: { id: '42', email: 'a@b.c' },
  request: { method: 'POST', url: 'https://shop.test/cart' },
};

const detail = { ...summary, event, raw: {}, attachments: [], grouping: { config: 'c', variants: [] }, previousEventId: null, nextEventId: null } as EventDetail;

const issue: IssueDetail = {
  id: 7,
  projectId: 1,
  title: 'ValueError: bad "coupon"',
  culprit: 'apply(shop/coupons.py)',
  level: 'error',
  status: 'unresolved',
  resolvedInNextRelease: false,
  count: 5,
  userCount: 2,
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-02T03:04:05.000Z',
  firstRelease: 'shop@1.1',
  lastRelease: 'shop@1.2',
  platform: 'python',
  metadata: {} as IssueDetail['metadata'],
  isNew: false,
  isRegression: true,
  environments: ['prod'],
  releases: ['shop@1.1', 'shop@1.2'],
  hashes: [],
  resolvedAt: null,
  tags: [{ key: 'browser', values: [{ value: 'Firefox 120', count: 3 }, { value: 'Chrome 119', count: 1 }] }],
};

describe('stack traces', () => {
  it('lists the raised exception first, then its cause; in-app frames innermost first with their source line', () => {
    expect(stacktraceMarkdown(event, false)).toBe(
      [
        '**ValueError**: bad "coupon" (excepthook, unhandled)',
        '',
        '- `apply (shop/coupons.py:12)`',
        '  ```',
        '  12 |     raise ValueError(msg)',
        '  ```',
        '- `checkout (shop/cart.py:41:5)`',
        '  ```',
        '  41 |         apply(coupon)',
        '  ```',
        '- _1 more frame not shown_',
        '',
        "Caused by **KeyError**: 'coupon'",
        '',
        '- `lookup (shop/db.py:9)`',
        '  ```',
        '  9 |     return table[key]',
        '  ```',
      ].join('\n'),
    );
  });

  it('with all frames, puts the system frames after the in-app ones', () => {
    const lines = stacktraceMarkdown(event, true).split('\n').filter((line) => line.startsWith('- '));
    expect(lines.slice(0, 3)).toEqual(['- `apply (shop/coupons.py:12)`', '- `checkout (shop/cart.py:41:5)`', '- [system] `_run (threading.py:1000)`']);
  });

  it('says which frames source maps resolved, from where, and which source lines came from disk', () => {
    const sent = [{ filename: '/app/dist/app.min.js', function: 'h', lineno: 1, colno: 533, in_app: true }];
    const mapped: SentryEvent = {
      ...event,
      exception: {
        values: [{
          type: 'RangeError',
          value: 'Unknown discount code BOGUS',
          raw_stacktrace: { frames: sent },
          stacktrace: {
            frames: [{
              filename: 'src/cart.js', abs_path: '/app/src/cart.js', function: 'applyDiscount', lineno: 7, colno: 11, in_app: true,
              context_line: '    throw new RangeError(`Unknown discount code ${code}`);',
              data: { sourcemap: '/app/dist/app.min.js.map', resolved_with: 'file', context_from_disk: true },
            }],
          },
        }],
      },
    };
    expect(stacktraceMarkdown(mapped, false)).toBe(
      [
        '**RangeError**: Unknown discount code BOGUS',
        '',
        '- `applyDiscount (src/cart.js:7:11)`',
        '  resolved with the source map on disk from `h (/app/dist/app.min.js:1:533)`',
        '  source line read from disk',
        '  ```',
        '  7 |     throw new RangeError(`Unknown discount code ${code}`);',
        '  ```',
      ].join('\n'),
    );
  });
});

describe('breadcrumbs, tags, the issue', () => {
  it('gives crumbs oldest first, http ones as method, url and status, on one line each', () => {
    expect(breadcrumbsMarkdown(event)).toBe(['- 03:04:00.000 [http] POST /cart → 500', '- 03:04:01.500 [log/warning] coupon expired'].join('\n'));
  });

  it('counts each tag value with its share, and names the tags an issue has when asked for another', () => {
    expect(tagValuesMarkdown(issue, 'browser')).toBe(
      ['# Tag `browser` of issue 7 (4 events)', '', '- `Firefox 120`: 3 (75%)', '- `Chrome 119`: 1 (25%)'].join('\n'),
    );
    expect(tagValuesMarkdown(issue, 'os')).toBe('Issue 7 has no tag `os`. Its tags: `browser`.');
  });

  it('puts the issue facts, the event and a next-tool hint in one answer', () => {
    const text = issueMarkdown(issue, detail);
    expect(text.startsWith('# Issue 7: ValueError: bad "coupon"\n\n- Level: error · Status: unresolved · regressed\n- Events: 5 · Users: 2\n')).toBe(true);
    expect(text).toContain('- First seen: 2026-01-01T00:00:00.000Z (release shop@1.1)');
    expect(text).toContain('- Last seen: 2026-01-02T03:04:05.000Z (release shop@1.2)');
    expect(text).toContain('### Tags\n\nbrowser=Firefox 120');
    expect(text).toContain('### Request\n\nPOST https://shop.test/cart');
    expect(text).toContain('### User\n\nid=42, email=a@b.c');
    expect(text).toMatch(/Next: get_event_stacktrace or get_issue_breadcrumbs with issueId `7` \(eventId `a{32}`\)/);
  });

  it('cuts a huge event to the answer bound, with a note', () => {
    const huge = { ...detail, event: { ...event, message: 'x', breadcrumbs: { values: Array.from({ length: 10 }, () => ({ message: 'y'.repeat(1_000_000) })) } } };
    const text = issueMarkdown(issue, huge);
    expect(text.length).toBeLessThan(25_000);
    expect(bounded('line\n'.repeat(10), 20, 'call x')).toBe('line\nline\nline\nline\n\n_[cut: 31 more characters; call x]_\n');
  });
});

describe('one line per event (tail)', () => {
  it('renders json, logfmt, md and human (coloured only when asked)', () => {
    expect(JSON.parse(eventLine(summary, 'json'))).toEqual({ ...summary, newEvents: 1 });
    expect(eventLine(summary, 'logfmt', { newEvents: 3 })).toBe(
      `eventId=${'a'.repeat(32)} issueId=7 projectId=1 timestamp=2026-01-02T03:04:05.000Z received=2026-01-02T03:04:05.100Z ` +
        'release=shop@1.2 environment=prod title="ValueError: bad \\"coupon\\"" level=error hash=h newEvents=3',
    );
    expect(eventLine(summary, 'md')).toBe(`- 2026-01-02T03:04:05.000Z **error** ValueError: bad "coupon" (issue 7, event \`${'a'.repeat(32)}\`)`);
    expect(eventLine(summary, 'human', { newEvents: 2 })).toBe('03:04:05 ERROR   #7 ValueError: bad "coupon" shop@1.2 (+1 more)');
    expect(eventLine(summary, 'human', { colour: true })).toBe('03:04:05 \u001b[31mERROR  \u001b[0m #7 ValueError: bad "coupon"\u001b[90m shop@1.2\u001b[0m');
  });
});
