/** The source lines around a line, as Sentry keeps them: up to 5 before and after. Pure. */
export const CONTEXT_LINES = 5;
const MAX_LINE_CHARS = 1000;

export function contextAround(lines: readonly string[], lineno: number): { pre_context: string[]; context_line: string; post_context: string[] } | undefined {
  if (lineno < 1 || lineno > lines.length) return undefined;
  const at = lineno - 1;
  return {
    pre_context: lines.slice(Math.max(0, at - CONTEXT_LINES), at).map(clip),
    context_line: clip(lines[at] ?? ''),
    post_context: lines.slice(at + 1, at + 1 + CONTEXT_LINES).map(clip),
  };
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
}
