/**
 * Turns one stack string, in whatever runtime's format it came, into Sentry frames and chained
 * exceptions. Pure: the format is sniffed from the text itself.
 */
import { looksLikeDotnet, parseDotnetException } from './dotnet';
import { looksLikeGoroutineDump, parseGoroutineDump } from './go';
import { looksLikeJvm, parseJvmStack } from './java';
import { looksLikePython, parsePythonTraceback } from './python';
import { looksLikeRuby, parseRubyBacktrace } from './ruby';
import type { ParsedStack } from './types';
import { looksLikeV8, parseV8Stack } from './v8';

export type { ParsedException, ParsedStack, StackRuntime } from './types';

/** Most specific first: a .NET or JVM trace must not be read as V8's similar `at` lines. */
const PARSERS: { looksLike: (text: string) => boolean; parse: (text: string) => ParsedStack }[] = [
  { looksLike: looksLikePython, parse: parsePythonTraceback },
  { looksLike: looksLikeGoroutineDump, parse: parseGoroutineDump },
  { looksLike: looksLikeJvm, parse: parseJvmStack },
  { looksLike: looksLikeV8, parse: parseV8Stack },
  { looksLike: looksLikeDotnet, parse: parseDotnetException },
  { looksLike: looksLikeRuby, parse: parseRubyBacktrace },
];

/** null when no parser recognizes the text or none of its frames could be read. */
export function parseStack(text: string): ParsedStack | null {
  for (const parser of PARSERS) {
    if (!parser.looksLike(text)) continue;
    const parsed = parser.parse(text);
    if (parsed.exceptions.some((exception) => exception.frames.length > 0)) return parsed;
  }
  return null;
}
