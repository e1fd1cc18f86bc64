import type { StackFrame, Stacktrace } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, exclude } from './components';
import { frameComponent, type VariantKind } from './frame';
import { isInApp } from './in-app';

/**
 * A stack's component is the same whenever its frames are: a crash loop, or a storm of errors
 * thrown from one place, repeats one frame list thousands of times. Built stacks are kept under a
 * short key (each frame's function and line, and the lengths of the other fields grouping reads)
 * together with those fields, which a hit compares one by one: no multi-KB key string is built
 * and hashed per event. Frozen, since every event with that stack shares them. Bounded in
 * entries and in fields' length (a very long stack is built each time): at most ~128 × (8 KB of
 * fields + its tree), a few MB.
 */
const STACK_CACHE_ENTRIES = 128;
const MAX_STACK_FIELDS = 8 * 1024;
/** Per frame, in this order: in_app, lineno, platform, module, filename, abs_path, function, context_line. */
const FIELDS_PER_FRAME = 8;
type FrameField = string | number | boolean | undefined;

interface CachedStack {
  eventPlatform: string;
  fields: FrameField[];
  variants: Partial<Record<VariantKind, GroupingComponent>>;
}

const builtStacks = new Map<string, CachedStack>();

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
  const cached = cachedStack(stacktrace.frames, eventPlatform);
  if (cached === undefined) return buildStacktraceComponent(stacktrace, eventPlatform, variant);
  return (cached.variants[variant] ??= deepFreeze(buildStacktraceComponent(stacktrace, eventPlatform, variant)));
}

/** The cache entry of an event's frame list, looked up once for both variants. */
const entriesOfFrames = new WeakMap<readonly StackFrame[], { eventPlatform: string; entry: CachedStack | undefined }>();

function cachedStack(frames: readonly StackFrame[], eventPlatform: string): CachedStack | undefined {
  const known = entriesOfFrames.get(frames);
  if (known !== undefined && known.eventPlatform === eventPlatform) return known.entry;
  const entry = lookUpStack(frames, eventPlatform);
  entriesOfFrames.set(frames, { eventPlatform, entry });
  return entry;
}

/** The entry for these frames (made when missing), or undefined when they are not to be cached. */
function lookUpStack(frames: readonly StackFrame[], eventPlatform: string): CachedStack | undefined {
  const fields = frameFields(frames);
  if (fields === undefined) return undefined;
  const key = shortKey(fields, eventPlatform);
  const found = builtStacks.get(key);
  if (found !== undefined && found.eventPlatform === eventPlatform && sameFields(found.fields, fields)) return found;
  // New, or another stack under the same short key (it replaces that one).
  const entry: CachedStack = { eventPlatform, fields, variants: {} };
  if (found === undefined && builtStacks.size >= STACK_CACHE_ENTRIES) builtStacks.clear();
  builtStacks.set(key, entry);
  return entry;
}

/**
 * Every frame field that frame.ts and in-app.ts read, in order; undefined (not cached) when a
 * field is not of its normalized type or the fields are too long to keep.
 */
function frameFields(frames: readonly StackFrame[]): FrameField[] | undefined {
  const fields: FrameField[] = new Array<FrameField>(frames.length * FIELDS_PER_FRAME);
  let length = 0;
  let at = 0;
  for (const frame of frames) {
    const { in_app: inApp, lineno, platform, module, filename, abs_path: absPath, function: name, context_line: contextLine } = frame;
    if ((inApp !== undefined && typeof inApp !== 'boolean') || (lineno !== undefined && typeof lineno !== 'number')) return undefined;
    if (!optionalString(platform) || !optionalString(module) || !optionalString(filename) || !optionalString(absPath)) return undefined;
    if (!optionalString(name) || !optionalString(contextLine)) return undefined;
    fields[at++] = inApp;
    fields[at++] = lineno;
    fields[at++] = platform;
    fields[at++] = module;
    fields[at++] = filename;
    fields[at++] = absPath;
    fields[at++] = name;
    fields[at++] = contextLine;
    length += (platform?.length ?? 0) + (module?.length ?? 0) + (filename?.length ?? 0) + (absPath?.length ?? 0) + (name?.length ?? 0) + (contextLine?.length ?? 0);
    if (length > MAX_STACK_FIELDS) return undefined;
  }
  return fields;
}

/**
 * The map key: the platform, each frame's line and function, and every other field's length (-1
 * when absent), each value prefixed by its length so none passes for a separator.
 */
function shortKey(fields: readonly FrameField[], eventPlatform: string): string {
  let key = `${eventPlatform.length}:${eventPlatform}|${fields.length / FIELDS_PER_FRAME}`;
  for (let at = 0; at < fields.length; at += FIELDS_PER_FRAME) {
    const inApp = fields[at];
    const name = fields[at + 6] as string | undefined;
    key += `|${inApp === undefined ? '' : inApp ? 't' : 'f'}${fields[at + 1] ?? ''}`;
    key += name === undefined ? '-' : `${name.length}:${name}`;
    key += `,${lengthOf(fields[at + 2])},${lengthOf(fields[at + 3])},${lengthOf(fields[at + 4])},${lengthOf(fields[at + 5])},${lengthOf(fields[at + 7])}`;
  }
  return key;
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function lengthOf(field: FrameField): number {
  return typeof field === 'string' ? field.length : -1;
}

function sameFields(a: readonly FrameField[], b: readonly FrameField[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
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
