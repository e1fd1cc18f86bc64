/** JVM `printStackTrace` output (Java, Kotlin, Scala): `Caused by:` chains and `... N more`. */
import type { StackFrame } from '../../../shared/event';
import { splitQualifiedType, splitTypeAndMessage } from './header';
import { isInAppJvmModule } from './in-app';
import type { ParsedException, ParsedStack } from './types';

const FRAME_LINE = /^\s*at (?:[\w.$@-]*\/)*([\w$.<>-]+)\.([\w$<>-]+)\((.*)\)$/;
const SOURCE = /^(.*?)(?::(\d+))?$/;
const MORE_LINE = /^\s*\.\.\. (\d+) more$/;
const CAUSED_BY = /^Caused by: (.*)$/;

export const looksLikeJvm = (text: string): boolean =>
  /^\s*at [\w$.\/@-]+\((?:[^()]*\.(?:java|kt|kts|scala|groovy|clj)(?::\d+)?|Native Method|Unknown Source)\)$/m.test(text);

interface PrintedException {
  header: string;
  /** As printed: newest first. */
  frames: StackFrame[];
}

export function parseJvmStack(text: string): ParsedStack {
  const printed: PrintedException[] = [];
  let current: PrintedException | null = null;
  let inSuppressed = false;
  for (const line of text.split(/\r?\n/)) {
    const cause = CAUSED_BY.exec(line);
    if (cause || (current === null && line.trim() !== '' && !FRAME_LINE.test(line))) {
      const header = cause ? (cause[1] ?? '') : line.replace(/^Exception in thread ".*?" /, '');
      current = { header, frames: [] };
      printed.push(current);
      inSuppressed = false;
      continue;
    }
    if (/^\s+Suppressed: /.test(line)) inSuppressed = true;
    if (inSuppressed || current === null) continue;
    const more = MORE_LINE.exec(line);
    if (more) {
      // The remaining frames are the enclosing trace's last N: copy them so each cause is complete.
      const enclosing = printed[printed.length - 2];
      if (enclosing) current.frames.push(...enclosing.frames.slice(-Number(more[1])).map((frame) => ({ ...frame })));
      continue;
    }
    const frame = parseFrameLine(line);
    if (frame) current.frames.push(frame);
    else if (current.frames.length === 0) current.header += `\n${line}`;
  }
  const exceptions = printed.map(toException).reverse();
  return { runtime: 'java', exceptions };
}

function toException(printed: PrintedException): ParsedException {
  const header = splitTypeAndMessage(printed.header);
  const exception: ParsedException = { frames: [...printed.frames].reverse() };
  if (header.type) Object.assign(exception, splitQualifiedType(header.type));
  if (header.value !== undefined) exception.value = header.value;
  return exception;
}

function parseFrameLine(line: string): StackFrame | null {
  const match = FRAME_LINE.exec(line);
  if (!match) return null;
  const module = match[1] ?? '';
  const source = SOURCE.exec(match[3] ?? '');
  const frame: StackFrame = { module, function: match[2] ?? '' };
  const filename = source?.[1];
  if (filename && filename !== 'Native Method' && filename !== 'Unknown Source') frame.filename = filename;
  if (source?.[2]) frame.lineno = Number(source[2]);
  frame.in_app = isInAppJvmModule(module);
  return frame;
}
