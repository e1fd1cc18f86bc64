/** Go goroutine dumps (`panic:` output, `debug.Stack()`): a function line, then `\t/file.go:N +0x..`. */
import type { StackFrame } from '../../../shared/event';
import { isInAppGoPackage } from './in-app';
import type { ParsedStack } from './types';

const GOROUTINE_HEADER = /^goroutine \d+ \[.*\]:$/;
const LOCATION_LINE = /^\t(.+?):(\d+)(?: \+0x[0-9a-f]+)?$/;
const CREATED_BY = /^created by (\S+?)(?: in goroutine \d+)?$/;

export const looksLikeGoroutineDump = (text: string): boolean =>
  /^goroutine \d+ \[.*\]:$/m.test(text) && /^\t.+\.go:\d+/m.test(text);

export function parseGoroutineDump(text: string): ParsedStack {
  const lines = text.split(/\r?\n/);
  const panicLine = lines.find((line) => line.startsWith('panic: '));
  const start = lines.findIndex((line) => GOROUTINE_HEADER.test(line));
  const frames: StackFrame[] = [];
  // Only the first goroutine: the one that panicked or called debug.Stack().
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || GOROUTINE_HEADER.test(line)) break;
    const location = LOCATION_LINE.exec(lines[i + 1] ?? '');
    if (line.startsWith('\t') || !location) continue;
    const created = CREATED_BY.exec(line);
    frames.push(goFrame(created ? (created[1] ?? '') : line, location[1] ?? '', Number(location[2])));
    i++;
  }
  const exception = panicLine
    ? { type: 'panic', value: panicLine.slice('panic: '.length).replace(/ \[recovered\]$/, ''), frames: frames.reverse() }
    : { frames: frames.reverse() };
  return { runtime: 'go', exceptions: [exception] };
}

/** `example.com/shop/checkout.(*Cart).Total(0xc0, ...)` → package path + function. */
function goFrame(call: string, path: string, lineno: number): StackFrame {
  const withoutArgs = call.replace(/\((?:[^()]|\.\.\.)*\)$/, '');
  const lastSlash = withoutArgs.lastIndexOf('/');
  const dot = withoutArgs.indexOf('.', lastSlash + 1);
  const pkg = dot === -1 ? '' : withoutArgs.slice(0, dot);
  const fn = dot === -1 ? withoutArgs : withoutArgs.slice(dot + 1);
  const frame: StackFrame = { function: fn, filename: path, abs_path: path, lineno };
  if (pkg) frame.module = pkg;
  frame.in_app = pkg !== '' && isInAppGoPackage(pkg, path);
  return frame;
}
