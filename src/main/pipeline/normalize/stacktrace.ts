/** Frames, stack traces, exceptions and threads, normalized and trimmed as relay does. */
import type { ExceptionValue, Mechanism, StackFrame, Stacktrace, Thread } from '../../../shared/event';
import { dataObject, trimData } from './data';
import { NORMALIZE_LIMITS as L } from './limits';
import { normalizeFrameData } from './processing';
import {
  idValue,
  isObject,
  lenientString,
  nonNegativeInteger,
  optionalBoolean,
  strictString,
  truncate,
  valuesList,
  type JsonObject,
} from './values';

const URL_SCHEMES = ['file:', 'http:', 'https:', 'applewebdata:'];

export function normalizeFrame(raw: JsonObject): StackFrame {
  // Field by field rather than by a key loop or a setter taking the key: a crash loop normalizes
  // thousands of frames a second, and a store with a fixed name is far cheaper than one with a
  // computed key (a setter helper measured ~3 µs per event slower than this).
  const frame: StackFrame = {};
  const filename = strictString(raw['filename'], L.path);
  if (filename !== undefined) frame.filename = filename;
  const absPath = strictString(raw['abs_path'], L.path);
  if (absPath !== undefined) frame.abs_path = absPath;
  const module = strictString(raw['module'], L.path);
  if (module !== undefined) frame.module = module;
  const packageName = strictString(raw['package'], L.path);
  if (packageName !== undefined) frame.package = packageName;
  const functionName = strictString(raw['function'], L.symbol);
  if (functionName !== undefined) frame.function = functionName;
  const rawFunction = strictString(raw['raw_function'], L.symbol);
  if (rawFunction !== undefined) frame.raw_function = rawFunction;
  const symbol = strictString(raw['symbol'], L.symbol);
  if (symbol !== undefined) frame.symbol = symbol;
  const platform = strictString(raw['platform'], 64);
  if (platform !== undefined) frame.platform = platform;
  const instructionAddr = strictString(raw['instruction_addr'], 64);
  if (instructionAddr !== undefined) frame.instruction_addr = instructionAddr;
  const lineno = nonNegativeInteger(raw['lineno']);
  if (lineno !== undefined) frame.lineno = lineno;
  const colno = nonNegativeInteger(raw['colno']);
  if (colno !== undefined) frame.colno = colno;
  const inApp = optionalBoolean(raw['in_app']);
  if (inApp !== undefined) frame.in_app = inApp;
  if (typeof raw['context_line'] === 'string') frame.context_line = truncate(raw['context_line'], L.dataString);
  const pre = contextLines(raw['pre_context']);
  if (pre) frame.pre_context = pre;
  const post = contextLines(raw['post_context']);
  if (post) frame.post_context = post;
  const vars = frameVars(raw['vars']);
  if (vars) frame.vars = vars;
  const data = normalizeFrameData(raw['data']);
  if (data) frame.data = data;
  fillFilename(frame);
  return frame;
}

/** Relay fills a missing filename from abs_path, using only the path of a URL. */
function fillFilename(frame: StackFrame): void {
  if (frame.filename !== undefined || frame.abs_path === undefined) return;
  frame.filename = frame.abs_path;
  if (!URL_SCHEMES.some((scheme) => frame.abs_path?.startsWith(scheme))) return;
  try {
    const path = new URL(frame.abs_path).pathname;
    if (path !== '' && path !== '/') frame.filename = path;
  } catch {
    // Not a parsable URL: the abs_path itself stays the filename.
  }
}

function contextLines(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((line) => (typeof line === 'string' ? truncate(line, L.dataString) : ''));
}

/** Frame variables: an object, or a list turned into an object keyed by index (as relay does). */
function frameVars(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return dataObject(Object.fromEntries(value.map((item, index) => [String(index), item])));
  return dataObject(value);
}

/** Which frames of a stack longer than the limit are left out: the middle, keeping the oldest and newest. */
function omittedRange(length: number, max: number): [number, number] | undefined {
  if (length <= max) return undefined;
  const head = Math.ceil(max / 2);
  return [head, length - (max - head)];
}

/** An SDK's own `frames_omitted`, when it is a sane range (SDKs trim long stacks too). */
function sentOmittedRange(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [start, end] = value as unknown[];
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (end as number) > (start as number)
    ? [start as number, end as number]
    : undefined;
}

export function normalizeStacktrace(raw: unknown): Stacktrace | undefined {
  if (!isObject(raw) || !Array.isArray(raw['frames'])) return undefined;
  const frames = raw['frames'].filter(isObject).map(normalizeFrame);
  if (frames.length === 0) return undefined;
  const omitted = omittedRange(frames.length, L.frames);
  const stacktrace: Stacktrace = omitted
    ? { frames: [...frames.slice(0, omitted[0]), ...frames.slice(omitted[1])], frames_omitted: omitted }
    : { frames };
  const sentOmitted = omitted ? undefined : sentOmittedRange(raw['frames_omitted']);
  if (sentOmitted) stacktrace.frames_omitted = sentOmitted;
  const registers = dataObject(raw['registers']);
  if (registers) stacktrace.registers = registers;
  return stacktrace;
}

function normalizeMechanism(raw: unknown): Mechanism | undefined {
  if (!isObject(raw)) return undefined;
  const mechanism: Mechanism = { type: strictString(raw['type'], L.symbol) ?? 'generic' };
  for (const key of ['handled', 'synthetic', 'is_exception_group'] as const) {
    const flag = optionalBoolean(raw[key]);
    if (flag !== undefined) mechanism[key] = flag;
  }
  for (const key of ['description', 'help_link', 'source'] as const) {
    const text = strictString(raw[key], L.dataString);
    if (text !== undefined) mechanism[key] = text;
  }
  for (const key of ['exception_id', 'parent_id'] as const) {
    const id = nonNegativeInteger(raw[key]);
    if (id !== undefined) mechanism[key] = id;
  }
  const data = dataObject(raw['data']);
  if (data) mechanism.data = data;
  const meta = dataObject(raw['meta']);
  if (meta) mechanism.meta = meta;
  return mechanism;
}

/** "ValueError: bad input" sent as a value without a type: relay splits it into both. */
const TYPE_PREFIXED_VALUE = /^(\w+): (.*)$/s;

export function normalizeException(raw: unknown): ExceptionValue | undefined {
  if (!isObject(raw)) return undefined;
  const exception: ExceptionValue = {};
  const type = strictString(raw['type'], L.symbol);
  // Some SDKs send non-string values (numbers, objects thrown as errors): relay stringifies them.
  const value =
    lenientString(raw['value'], L.message) ??
    (isObject(raw['value']) || Array.isArray(raw['value']) ? truncate(JSON.stringify(trimData(raw['value'])), L.message) : undefined);
  const mechanism = normalizeMechanism(raw['mechanism']);
  const split = type === undefined && value !== undefined && !mechanism?.synthetic ? TYPE_PREFIXED_VALUE.exec(value) : null;
  if (split?.[1] !== undefined && split[2] !== undefined) {
    exception.type = split[1];
    exception.value = split[2];
  } else {
    if (type !== undefined) exception.type = type;
    if (value !== undefined) exception.value = value;
  }
  const module = strictString(raw['module'], L.path);
  if (module !== undefined) exception.module = module;
  const threadId = idValue(raw['thread_id']);
  if (threadId !== undefined) exception.thread_id = threadId;
  if (mechanism) exception.mechanism = mechanism;
  const stacktrace = normalizeStacktrace(raw['stacktrace']);
  if (stacktrace) exception.stacktrace = stacktrace;
  const rawStacktrace = normalizeStacktrace(raw['raw_stacktrace']);
  if (rawStacktrace) exception.raw_stacktrace = rawStacktrace;
  // Relay drops an exception that says nothing: no type, no value and no stack.
  if (exception.type === undefined && exception.value === undefined && !exception.stacktrace) return undefined;
  return exception;
}

export function normalizeExceptions(raw: unknown): { values: ExceptionValue[] } | undefined {
  const list = valuesList(raw, true);
  if (!list) return undefined;
  const values = list.map(normalizeException).filter((value): value is ExceptionValue => value !== undefined);
  // A long chain keeps its newest values: the last one is the error finally raised.
  return values.length > 0 ? { values: values.slice(-L.exceptions) } : undefined;
}

function normalizeThread(raw: unknown): Thread | undefined {
  if (!isObject(raw)) return undefined;
  const thread: Thread = {};
  const id = idValue(raw['id']);
  if (id !== undefined) thread.id = id;
  const name = strictString(raw['name'], L.symbol);
  if (name !== undefined) thread.name = name;
  for (const key of ['crashed', 'current', 'main'] as const) {
    const flag = optionalBoolean(raw[key]);
    if (flag !== undefined) thread[key] = flag;
  }
  const state = strictString(raw['state'], 64);
  if (state !== undefined) thread.state = state;
  const stacktrace = normalizeStacktrace(raw['stacktrace']);
  if (stacktrace) thread.stacktrace = stacktrace;
  return thread;
}

export function normalizeThreads(raw: unknown): { values: Thread[] } | undefined {
  const list = valuesList(raw);
  if (!list) return undefined;
  const values = list.map(normalizeThread).filter((thread): thread is Thread => thread !== undefined);
  return values.length > 0 ? { values: values.slice(0, L.threads) } : undefined;
}

