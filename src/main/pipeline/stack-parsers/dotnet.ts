/** .NET `Exception.ToString()`: `Type: message ---> Inner: message`, `   at Ns.Type.Method(args) in file:line N`. */
import type { StackFrame } from '../../../shared/event';
import { splitTypeAndMessage } from './header';
import { isInAppDotnetModule } from './in-app';
import type { ParsedException, ParsedStack } from './types';

const FRAME_LINE = /^\s*at (.+?)(?: in (.+):line (\d+))?$/;
const END_OF_INNER = /^\s*--- End of inner exception stack trace ---$/;
const INNER_MARKER = ' ---> ';

export const looksLikeDotnet = (text: string): boolean =>
  /^\s+at [^\s(]+\(.*\) in .+:line \d+$/m.test(text) ||
  /--- End of (?:inner exception )?stack trace/.test(text) ||
  /^\s+at [\w.`<>$|\[\],+]+\((?:[\w.`<>\[\],&*]+ \w+(?:, )?)*\)$/m.test(text);

export function parseDotnetException(text: string): ParsedStack {
  const lines = text.split(/\r?\n/);
  const firstFrame = lines.findIndex((line) => FRAME_LINE.test(line) && /^\s+at /.test(line));
  const headerText = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join('\n');
  // Headers read outer → inner; frame blocks are printed inner → outer, split by END_OF_INNER.
  const headers = headerText.split(/\r?\n? ---> /).map((header) => splitTypeAndMessage(header));
  const blocks: StackFrame[][] = [[]];
  for (const line of firstFrame === -1 ? [] : lines.slice(firstFrame)) {
    if (END_OF_INNER.test(line)) {
      blocks.push([]);
      continue;
    }
    const frame = /^\s+at /.test(line) ? parseFrameLine(line) : null;
    if (frame) blocks[blocks.length - 1]?.push(frame);
  }
  const innerFirstHeaders = [...headers].reverse();
  const exceptions: ParsedException[] = innerFirstHeaders.map((header, index) => {
    const exception: ParsedException = { frames: [...(blocks[index] ?? [])].reverse() };
    if (header.type) exception.type = header.type;
    if (header.value !== undefined) exception.value = header.value;
    return exception;
  });
  return { runtime: 'dotnet', exceptions };
}

function parseFrameLine(line: string): StackFrame | null {
  const match = FRAME_LINE.exec(line);
  if (!match?.[1]) return null;
  const call = match[1];
  const paren = call.indexOf('(');
  const qualified = paren === -1 ? call : call.slice(0, paren);
  const dot = qualified.lastIndexOf('.', qualified.endsWith('.ctor') ? qualified.length - 6 : undefined);
  const frame: StackFrame = dot === -1
    ? { function: qualified }
    : { module: qualified.slice(0, dot), function: qualified.slice(dot + 1) };
  if (match[2]) {
    frame.filename = match[2];
    frame.abs_path = match[2];
  }
  if (match[3]) frame.lineno = Number(match[3]);
  frame.in_app = isInAppDotnetModule(frame.module ?? qualified);
  return frame;
}
