/** Stack trace helpers for display: which frames to show, and the trace as the runtime prints it. Pure. */
import type { ExceptionValue, SentryEvent, StackFrame, Stacktrace } from '../../shared/event';

/** One exception (or the crashed thread's stack) as the UI shows it. */
export interface ShownException {
  key: string;
  type: string;
  value: string;
  mechanism: ExceptionValue['mechanism'];
  module?: string;
  frames: StackFrame[];
  /** Frames [start, end) of the stack as raised that were not kept (too long to store whole). */
  framesOmitted?: [number, number];
  /**
   * Not an exception at all: the stack an SDK attached to a message (captureMessage with
   * attachStacktrace). Its type, value and mechanism are made up, so only its frames are shown.
   */
  stackOnly: boolean;
}

/** An exception value that only carries the stack of a message (no type, synthetic mechanism). */
function isSyntheticStack(value: ExceptionValue): boolean {
  return !value.type && value.mechanism?.synthetic === true;
}

/**
 * A message event with a stack attached, shown as Sentry does: the message, then "Stack trace".
 * JavaScript SDKs send the stack as a synthetic exception, Python's as a thread.
 */
export function isMessageWithStack(event: SentryEvent): boolean {
  const values = event.exception?.values ?? [];
  if (values.length > 0) return values.every(isSyntheticStack);
  return shownExceptions(event).some((e) => e.stackOnly) && Boolean(event.message ?? event.logentry?.formatted ?? event.logentry?.message);
}

/** Sentry lists chained exceptions oldest (the cause) first; the UI shows the raised one first. */
/** `minified`: the frames as the SDK sent them (`raw_stacktrace`) where source maps resolved them. */
export function shownExceptions(event: SentryEvent, minified = false): ShownException[] {
  const values = event.exception?.values ?? [];
  if (values.length > 0) {
    return values
      .map((value, index) => ({
        key: `exception-${index}`,
        // An exception sent without a type is an Error to a reader (the raw trace prints it so).
        type: isSyntheticStack(value) ? 'Stack trace' : value.type || 'Error',
        value: value.value ?? '',
        mechanism: value.mechanism,
        module: value.module,
        frames: (minified ? (value.raw_stacktrace ?? value.stacktrace) : value.stacktrace)?.frames ?? [],
        framesOmitted: (minified ? (value.raw_stacktrace ?? value.stacktrace) : value.stacktrace)?.frames_omitted,
        stackOnly: isSyntheticStack(value),
      }))
      .reverse();
  }
  const thread =
    event.threads?.values.find((t) => t.crashed && t.stacktrace) ??
    event.threads?.values.find((t) => t.current && t.stacktrace) ??
    event.threads?.values.find((t) => t.stacktrace);
  if (thread?.stacktrace) {
    return [
      {
        key: 'thread',
        type: thread.name ? `Thread ${thread.name}` : 'Stack trace',
        value: event.message ?? event.logentry?.formatted ?? '',
        mechanism: undefined,
        frames: thread.stacktrace.frames,
        framesOmitted: thread.stacktrace.frames_omitted,
        stackOnly: true,
      },
    ];
  }
  return [];
}

export interface FrameView {
  frame: StackFrame;
  /** Position in the original (oldest-first) list, stable across toggles. */
  index: number;
  /** The frame where the error was raised. */
  isCrashFrame: boolean;
}

/**
 * Frames in display order. With `fullStack` off, library frames are hidden when any frame is
 * in-app (a stack of only library frames is shown whole, else there would be nothing to see).
 */
export function visibleFrames(frames: StackFrame[], newestFirst: boolean, fullStack: boolean): FrameView[] {
  const anyInApp = frames.some((f) => f.in_app === true);
  const views = frames.map((frame, index) => ({ frame, index, isCrashFrame: index === frames.length - 1 }));
  const kept = fullStack || !anyInApp ? views : views.filter((v) => v.frame.in_app === true);
  return newestFirst ? kept.reverse() : kept;
}

export function frameLocation(frame: StackFrame): string {
  const file = frame.filename ?? frame.abs_path ?? frame.module ?? '<unknown>';
  const line = frame.lineno !== undefined ? `:${frame.lineno}` : '';
  const col = frame.lineno !== undefined && frame.colno !== undefined ? `:${frame.colno}` : '';
  return `${file}${line}${col}`;
}

export function frameFunction(frame: StackFrame): string {
  return frame.function ?? frame.raw_function ?? frame.symbol ?? '<anonymous>';
}

export function hasDetails(frame: StackFrame): boolean {
  return frame.context_line !== undefined || (frame.vars !== undefined && Object.keys(frame.vars).length > 0);
}

/** The trace as the runtime would print it (JavaScript, Python, Java; others in the JS shape). */
export function rawStacktrace(exceptions: ShownException[], platform: string): string {
  const blocks = exceptions.map((e) => rawBlock(e, platform));
  if (platform === 'python') return blocks.reverse().join('\nThe above exception was the direct cause of the following exception:\n\n');
  return blocks.join('\nCaused by: ');
}

function rawBlock(exception: ShownException, platform: string): string {
  const heading = exception.stackOnly
    ? exception.value || exception.type
    : exception.value ? `${exception.type}: ${exception.value}` : exception.type;
  const frames = exception.frames;
  if (platform === 'python') {
    const lines = frames.map((f) => {
      const code = f.context_line?.trim();
      return `  File "${f.abs_path ?? f.filename ?? '?'}", line ${f.lineno ?? '?'}, in ${frameFunction(f)}${code ? `\n    ${code}` : ''}`;
    });
    return `Traceback (most recent call last):\n${lines.join('\n')}\n${heading}\n`;
  }
  const newestFirst = [...frames].reverse();
  if (platform === 'java') {
    const lines = newestFirst.map((f) => `\tat ${f.module ? `${f.module}.` : ''}${frameFunction(f)}(${f.filename ?? 'Unknown Source'}${f.lineno !== undefined ? `:${f.lineno}` : ''})`);
    return `${heading}\n${lines.join('\n')}\n`;
  }
  const lines = newestFirst.map((f) => {
    const location = frameLocation({ ...f, filename: f.abs_path ?? f.filename });
    return f.function ? `    at ${f.function} (${location})` : `    at ${location}`;
  });
  return `${heading}\n${lines.join('\n')}\n`;
}

export function frameCount(stacktrace: Stacktrace | undefined): number {
  return stacktrace?.frames.length ?? 0;
}

/** Some frames were resolved with source maps: the frames as sent can be shown instead. */
export function hasMinifiedFrames(event: SentryEvent): boolean {
  return (event.exception?.values ?? []).some((value) => value.raw_stacktrace !== undefined);
}
