import type { StackFrame, Stacktrace } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, exclude } from './components';
import { frameComponent, type VariantKind } from './frame';
import { isInApp } from './in-app';
import { StringMemo } from './memo';

/**
 * A stack's component is the same whenever its frames are: a crash loop, or a storm of errors
 * thrown from one place, repeats one frame list thousands of times. Built stacks are kept by a
 * key made of the fields grouping reads from each frame (no JSON), and frozen, since every event
 * with that stack shares them. Bounded in entries and in key length (a very long stack is built
 * each time): at most ~128 × (8 KB of key + its tree), a few MB.
 */
const STACK_CACHE_ENTRIES = 128;
const MAX_STACK_KEY = 8 * 1024;
const builtStacks = new StringMemo<Partial<Record<VariantKind, GroupingComponent>>>(STACK_CACHE_ENTRIES);

/** Whether two frames group alike (line numbers aside): direct recursion repeats a frame. */
function sameGroupingIdentity(a: GroupingComponent, b: GroupingComponent): boolean {
  const left = a.values.filter(isComparedPart);
  const right = b.values.filter(isComparedPart);
  if (left.length !== right.length) return false;
  return left.every((part, index) => {
    const other = right[index];
    return (
      other !== undefined &&
      part.id === other.id &&
      part.contributes === other.contributes &&
      part.values.length === other.values.length &&
      part.values.every((value, at) => value === other.values[at])
    );
  });
}

function isComparedPart(part: GroupingComponent | string): part is GroupingComponent {
  return typeof part !== 'string' && part.id !== 'lineno';
}

export function hasInAppFrames(stacktrace: Stacktrace | undefined, eventPlatform: string): boolean {
  return (stacktrace?.frames ?? []).some((frame) => isInApp(frame, eventPlatform));
}

export function stacktraceComponent(stacktrace: Stacktrace, eventPlatform: string, variant: VariantKind): GroupingComponent {
  const key = framesKey(stacktrace.frames, eventPlatform);
  if (key === undefined) return buildStacktraceComponent(stacktrace, eventPlatform, variant);
  const variants = builtStacks.get(key, () => ({}));
  return (variants[variant] ??= deepFreeze(buildStacktraceComponent(stacktrace, eventPlatform, variant)));
}

/**
 * The key of an event's frame list, made once for both variants: a multi-KB key costs more to
 * build and hash than the lookup saves if each variant makes its own.
 */
const keysOfFrames = new WeakMap<readonly StackFrame[], { eventPlatform: string; key: string | undefined }>();

function framesKey(frames: readonly StackFrame[], eventPlatform: string): string | undefined {
  const known = keysOfFrames.get(frames);
  if (known !== undefined && known.eventPlatform === eventPlatform) return known.key;
  const key = stackKey(frames, eventPlatform);
  keysOfFrames.set(frames, { eventPlatform, key });
  return key;
}

/**
 * Every frame field that frame.ts and in-app.ts read, each prefixed by its length so no value can
 * pass for a separator; undefined apart from empty. Undefined (not cached) when the key would be
 * too long, or a field is not of its normalized type.
 */
function stackKey(frames: readonly StackFrame[], eventPlatform: string): string | undefined {
  let key = `${eventPlatform.length}:${eventPlatform}|${frames.length}`;
  for (const frame of frames) {
    const { in_app: inApp, lineno } = frame;
    if ((inApp !== undefined && typeof inApp !== 'boolean') || (lineno !== undefined && typeof lineno !== 'number')) return undefined;
    key += `|${inApp === undefined ? '' : inApp ? 't' : 'f'}${lineno ?? ''}`;
    for (const value of [frame.platform, frame.module, frame.filename, frame.abs_path, frame.function, frame.context_line]) {
      if (value === undefined) key += '-';
      else if (typeof value === 'string') key += `${value.length}:${value}`;
      else return undefined;
    }
    if (key.length > MAX_STACK_KEY) return undefined;
  }
  return key;
}

function deepFreeze(component: GroupingComponent): GroupingComponent {
  for (const child of component.values) if (typeof child !== 'string') deepFreeze(child);
  Object.freeze(component.values);
  return Object.freeze(component);
}

function buildStacktraceComponent(stacktrace: Stacktrace, eventPlatform: string, variant: VariantKind): GroupingComponent {
  const frames: GroupingComponent[] = [];
  let previous: GroupingComponent | undefined;
  for (const frame of stacktrace.frames) {
    const component = frameComponent(frame, eventPlatform, variant);
    if (component.contributes && previous !== undefined && sameGroupingIdentity(component, previous)) {
      exclude(component, 'ignored due to recursion');
    }
    previous = component;
    frames.push(component);
  }
  const component = branch('stacktrace', frames);
  if (frames.length === 0) component.hint = 'ignored because it contains no frames';
  else if (variant === 'app' && !hasInAppFrames(stacktrace, eventPlatform)) {
    exclude(component, 'ignored because it contains no in-app frames');
  } else if (!component.contributes) component.hint ??= 'ignored because no frame contributes';
  return component;
}
