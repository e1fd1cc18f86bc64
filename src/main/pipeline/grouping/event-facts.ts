import type { ExceptionValue, SentryEvent, StackFrame, Stacktrace } from '../../../shared/event';
import { isInApp } from './in-app';

/** The outermost exception (the one that was thrown last); SDKs send it last. */
export function outermostException(event: SentryEvent): ExceptionValue | undefined {
  const values = event.exception?.values ?? [];
  return values[values.length - 1];
}

/** The stack trace that best describes where the event happened. */
export function primaryStacktrace(event: SentryEvent): Stacktrace | undefined {
  const values = event.exception?.values ?? [];
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const stacktrace = values[i]?.stacktrace;
    if (stacktrace && stacktrace.frames.length > 0) return stacktrace;
  }
  const threads = event.threads?.values ?? [];
  const thread = threads.find((t) => t.crashed && t.stacktrace) ?? threads.find((t) => t.current && t.stacktrace);
  const withStack = threads.filter((t) => t.stacktrace && t.stacktrace.frames.length > 0);
  return thread?.stacktrace ?? (withStack.length === 1 ? withStack[0]?.stacktrace : undefined);
}

/** The frame that raised: the innermost in-app frame, else the innermost frame. */
export function culpritFrame(event: SentryEvent): StackFrame | undefined {
  const frames = primaryStacktrace(event)?.frames ?? [];
  for (let i = frames.length - 1; i >= 0; i -= 1) {
    const frame = frames[i];
    if (frame && isInApp(frame, event.platform)) return frame;
  }
  return frames[frames.length - 1];
}

/** Every frame of every stack trace in the event, for fingerprint rule matching. */
export function allFrames(event: SentryEvent): StackFrame[] {
  const fromExceptions = (event.exception?.values ?? []).flatMap((value) => value.stacktrace?.frames ?? []);
  const fromThreads = (event.threads?.values ?? []).flatMap((thread) => thread.stacktrace?.frames ?? []);
  return [...fromExceptions, ...fromThreads];
}

/** The message as grouping sees it: the template when the SDK sent one. */
export function messageTemplate(event: SentryEvent): string | undefined {
  const candidates = [event.logentry?.message, event.message, event.logentry?.formatted];
  return candidates.find((candidate) => candidate !== undefined && candidate.trim() !== '');
}

/** The message as a person reads it: formatted, parameters filled in. */
export function formattedMessage(event: SentryEvent): string | undefined {
  const candidates = [event.message, event.logentry?.formatted, event.logentry?.message];
  return candidates.find((candidate) => candidate !== undefined && candidate.trim() !== '');
}

export function tagValue(event: SentryEvent, name: string): string | undefined {
  return event.tags?.find(([key]) => key === name)?.[1];
}

export function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
