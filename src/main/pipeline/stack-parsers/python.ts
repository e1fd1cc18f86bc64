/** CPython tracebacks, with `raise … from` and implicit-context chains. */
import type { StackFrame } from '../../../shared/event';
import { splitQualifiedType, splitTypeAndMessage } from './header';
import { isInAppPath } from './in-app';
import type { ParsedException, ParsedStack } from './types';

const CHAIN_SEPARATOR =
  /^(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)$/m;
const FRAME_LINE = /^\s*File "(.+)", line (\d+)(?:, in (.+))?$/;
const CARET_LINE = /^\s*[\^~\s]+$/;

export const looksLikePython = (text: string): boolean =>
  /^Traceback \(most recent call last\):$/m.test(text) || /^\s*File ".+", line \d+, in .+$/m.test(text);

export function parsePythonTraceback(text: string): ParsedStack {
  // Python prints the earliest exception first and the one finally raised last: Sentry's order.
  const blocks = text.split(CHAIN_SEPARATOR).filter((block) => block.trim() !== '');
  return { runtime: 'python', exceptions: blocks.map(parseBlock) };
}

function parseBlock(block: string): ParsedException {
  const frames: StackFrame[] = [];
  const rest: string[] = [];
  let current: StackFrame | null = null;
  for (const line of block.split(/\r?\n/)) {
    const match = FRAME_LINE.exec(line);
    if (match) {
      const path = match[1] ?? '';
      current = { filename: path, abs_path: path, lineno: Number(match[2]), in_app: isInAppPath(path) };
      if (match[3]) current.function = match[3];
      frames.push(current);
      continue;
    }
    if (line.startsWith('Traceback (most recent call last)') || line.trim() === '') continue;
    if (current && line.startsWith('    ')) {
      // The source line after a frame, then 3.11's caret markers under it.
      if (current.context_line === undefined && !CARET_LINE.test(line)) current.context_line = line.trim();
      continue;
    }
    if (/^\s+\[Previous line repeated \d+ more times?\]$/.test(line)) continue;
    current = null;
    rest.push(line);
  }
  const header = splitTypeAndMessage(rest.join('\n'));
  const exception: ParsedException = { frames };
  if (header.type) Object.assign(exception, splitQualifiedType(header.type));
  if (header.value !== undefined) exception.value = header.value;
  return exception;
}
