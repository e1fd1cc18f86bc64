/** Node / V8 `err.stack`: a `Type: message` header, then `    at fn (file:line:col)` lines, newest first. */
import type { StackFrame } from '../../../shared/event';
import { splitTypeAndMessage } from './header';
import { isInAppPath } from './in-app';
import type { ParsedStack } from './types';

const FRAME_LINE = /^\s*at (.+)$/;
const CALL_WITH_LOCATION = /^(.*?) \((.+)\)$/;
const LOCATION = /^(.*?):(\d+)(?::(\d+))?$/;

export const looksLikeV8 = (text: string): boolean => /^\s+at (?:async )?(?:.+ \()?.+:\d+:\d+\)?$/m.test(text);

export function parseV8Stack(text: string): ParsedStack {
  const lines = text.split(/\r?\n/);
  const firstFrame = lines.findIndex((line) => FRAME_LINE.test(line));
  const headerLines = firstFrame === -1 ? lines : lines.slice(0, firstFrame);
  const frames: StackFrame[] = [];
  for (const line of firstFrame === -1 ? [] : lines.slice(firstFrame)) {
    const frame = parseFrameLine(line);
    if (frame) frames.push(frame);
  }
  return { runtime: 'node', exceptions: [{ ...splitTypeAndMessage(headerLines.join('\n')), frames: frames.reverse() }] };
}

function parseFrameLine(line: string): StackFrame | null {
  const match = FRAME_LINE.exec(line);
  if (!match?.[1]) return null;
  let call = match[1].trim();
  if (call.startsWith('async ')) call = call.slice('async '.length);
  const withLocation = CALL_WITH_LOCATION.exec(call);
  const functionName = withLocation ? withLocation[1] : undefined;
  let location = withLocation ? (withLocation[2] ?? '') : call;
  // `eval at fn (file:1:2), <anonymous>:3:4`: the outer file is the one a developer can open.
  const evalOrigin = /^eval at .*? \((.+?)\)/.exec(location);
  if (evalOrigin?.[1]) location = evalOrigin[1];
  const frame: StackFrame = {};
  if (functionName && functionName !== '<anonymous>') frame.function = functionName;
  const position = LOCATION.exec(location);
  const path = stripFileUrl(position ? (position[1] ?? '') : location);
  // `Promise.all (index 0)` names no file at all.
  if (!/^index \d+$/.test(path)) {
    frame.filename = path;
    frame.abs_path = path;
  }
  if (position?.[2]) frame.lineno = Number(position[2]);
  if (position?.[3]) frame.colno = Number(position[3]);
  frame.in_app = position !== null && isInAppPath(path);
  return frame;
}

function stripFileUrl(path: string): string {
  if (!path.startsWith('file://')) return path;
  try {
    return decodeURIComponent(new URL(path).pathname);
  } catch {
    return path.slice('file://'.length);
  }
}
