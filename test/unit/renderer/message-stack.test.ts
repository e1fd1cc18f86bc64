import { describe, expect, it } from 'vitest';
import type { SentryEvent } from '../../../src/shared/event';
import { isMessageWithStack, rawStacktrace, shownExceptions } from '../../../src/renderer/lib/stacktrace';

const frames = [
  { filename: 'app.js', function: 'main', lineno: 3, in_app: true },
  { filename: 'app.js', function: 'loadUser', lineno: 10, in_app: true },
];

function event(fields: Partial<SentryEvent>): SentryEvent {
  return { event_id: 'a'.repeat(32), timestamp: 1_700_000_000, platform: 'javascript', level: 'info', ...fields } as SentryEvent;
}

describe('a message with an attached stack', () => {
  // What @sentry/core sends for captureMessage with attachStacktrace: a typeless synthetic exception.
  const message = event({
    message: 'User 456 not found',
    exception: { values: [{ value: 'User 456 not found', stacktrace: { frames }, mechanism: { type: 'generic', handled: true, synthetic: true } }] },
  });

  it('is a stack, not an exception named Error', () => {
    expect(isMessageWithStack(message)).toBe(true);
    const [shown] = shownExceptions(message);
    expect(shown?.stackOnly).toBe(true);
    expect(shown?.type).toBe('Stack trace');
    expect(shown?.frames).toHaveLength(2);
    expect(rawStacktrace(shownExceptions(message), 'javascript')).toBe(
      'User 456 not found\n    at loadUser (app.js:10)\n    at main (app.js:3)\n',
    );
  });

  it('a real exception stays one, typed or not', () => {
    const thrown = event({
      exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames }, mechanism: { type: 'generic', handled: true } }] },
    });
    expect(isMessageWithStack(thrown)).toBe(false);
    expect(shownExceptions(thrown)[0]).toMatchObject({ type: 'TypeError', stackOnly: false });
    const typeless = event({ exception: { values: [{ value: 'boom', mechanism: { type: 'onerror', handled: false } }] } });
    expect(isMessageWithStack(typeless)).toBe(false);
    expect(shownExceptions(typeless)[0]).toMatchObject({ type: 'Error', stackOnly: false });
  });

  it("Python's form (the stack as a thread) is the same case", () => {
    const python = event({
      platform: 'python',
      message: 'User 456 not found',
      threads: { values: [{ id: 1, current: true, stacktrace: { frames } }] },
    });
    expect(isMessageWithStack(python)).toBe(true);
    expect(shownExceptions(python)[0]).toMatchObject({ type: 'Stack trace', stackOnly: true });
  });
});
