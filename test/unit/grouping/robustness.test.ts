import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupEvent, parseFingerprintRules } from '../../../src/main/pipeline/grouping/index';
import type { SentryEvent } from '../../../src/shared/event';

const text = fc.oneof(fc.string(), fc.constantFrom('?', '<anonymous>', 'Object.?', 'lambda$main$0', '{{ default }}', 'http://x:1/a-Bc12345_.js', '', '::'));
const optionalText = fc.option(text, { nil: undefined });
const frame = fc.record(
  { function: optionalText, module: optionalText, filename: optionalText, abs_path: optionalText, context_line: optionalText, lineno: fc.option(fc.integer(), { nil: undefined }), in_app: fc.option(fc.boolean(), { nil: undefined }) },
  { requiredKeys: [] },
);
const exception = fc.record(
  {
    type: optionalText,
    value: optionalText,
    stacktrace: fc.option(fc.record({ frames: fc.array(frame, { maxLength: 8 }) }), { nil: undefined }),
    mechanism: fc.option(fc.record({ type: fc.constant('generic'), synthetic: fc.boolean(), exception_id: fc.option(fc.nat(4), { nil: undefined }), parent_id: fc.option(fc.nat(4), { nil: undefined }), is_exception_group: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }),
  },
  { requiredKeys: [] },
);
const event: fc.Arbitrary<SentryEvent> = fc.record({
  event_id: fc.constant('f'.repeat(32)),
  timestamp: fc.constant(1),
  received: fc.constant(1),
  platform: fc.constantFrom('javascript', 'node', 'python', 'java', 'go', 'ruby', 'php', 'csharp', 'other'),
  level: fc.constantFrom('error' as const, 'warning' as const),
  message: optionalText,
  fingerprint: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
  exception: fc.option(fc.record({ values: fc.array(exception, { maxLength: 4 }) }), { nil: undefined }),
});

describe('grouping never fails on odd events', () => {
  it('always returns at least one md5 hash, a title and the config', () => {
    const { rules } = parseFingerprintRules('error.value:"*a*" !stack.function:"?" -> a, {{ function }}\nmessage:"[x" -> b');
    fc.assert(
      fc.property(event, (input) => {
        const result = groupEvent(input, { rules });
        expect(result.hashes.length).toBeGreaterThan(0);
        for (const hash of result.hashes) expect(hash).toMatch(/^[0-9a-f]{32}$/);
        expect(typeof result.title).toBe('string');
        expect(result.config).toBe('stacktray:2026-11');
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });
});
