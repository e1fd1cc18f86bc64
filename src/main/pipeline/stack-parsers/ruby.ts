/** Ruby backtraces: `file:N:in 'Class#method'` (3.4) or `` file:N:in `method' `` (older), with causes. */
import type { StackFrame } from '../../../shared/event';
import { isInAppPath } from './in-app';
import type { ParsedException, ParsedStack } from './types';

const LOCATION = /^(.+?):(\d+):in [`'](.+?)'/;
const HEADER_TAIL = /^: ([\s\S]*) \(([\w:]+)\)$/;

export const looksLikeRuby = (text: string): boolean => /^\s*(?:from )?.+?:\d+:in [`'].+'/m.test(text);

export function parseRubyBacktrace(text: string): ParsedStack {
  // full_message prints the raised exception first and each cause after it; Sentry wants causes first.
  const printed: ParsedException[] = [];
  let current: ParsedException | null = null;
  let pendingHeader: string[] | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const isContinuation = /^\s+from /.test(rawLine);
    const line = rawLine.replace(/^\s+from /, '').replace(/^\s+/, '');
    const location = LOCATION.exec(line);
    if (!location) {
      if (pendingHeader) pendingHeader.push(rawLine);
      continue;
    }
    if (pendingHeader && current) finishHeader(current, pendingHeader);
    pendingHeader = null;
    const frame = rubyFrame(location[1] ?? '', Number(location[2]), location[3] ?? '');
    const tail = line.slice(location[0].length);
    if (!current || (!isContinuation && tail.startsWith(': '))) {
      current = { frames: [] };
      printed.push(current);
      if (tail.startsWith(': ')) pendingHeader = [tail];
    }
    current.frames.push(frame);
  }
  if (pendingHeader && current) finishHeader(current, pendingHeader);
  const exceptions = printed.map((exception) => ({ ...exception, frames: exception.frames.reverse() })).reverse();
  return { runtime: 'ruby', exceptions };
}

function finishHeader(exception: ParsedException, lines: string[]): void {
  const match = HEADER_TAIL.exec(lines.join('\n'));
  if (!match) return;
  exception.type = match[2];
  exception.value = match[1];
}

/** `block in Shop::Checkout#settle` → module `Shop::Checkout`, function `block in settle`. */
function rubyFrame(path: string, lineno: number, label: string): StackFrame {
  const frame: StackFrame = { filename: path, abs_path: path, lineno, in_app: isInAppPath(path) };
  const qualified = /^((?:(?:rescue|ensure|block(?: \(\d+ levels\))?) in )?)([\w:]+)[#.]([^#.\s]+)$/.exec(label);
  if (qualified) {
    frame.module = qualified[2];
    frame.function = `${qualified[1] ?? ''}${qualified[3] ?? ''}`;
  } else {
    frame.function = label;
  }
  return frame;
}
