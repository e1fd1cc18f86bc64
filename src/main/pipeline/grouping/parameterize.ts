/**
 * Replaces event-specific values in messages (ids, addresses, times…) with placeholders so that
 * "User 123 not found" and "User 456 not found" group together. The kinds and their order follow
 * Sentry's parameterization: earlier kinds win over later ones (an IP is not four ints).
 */

import { StringMemo } from './memo';

interface Parameter {
  placeholder: string;
  pattern: RegExp;
  /** Extra check for matches the pattern alone cannot rule out. */
  accept?: (match: string) => boolean;
}

const HOST_SUFFIX =
  /^(com|net|org|io|dev|app|local|localhost|internal|lan|test|example|edu|gov|mil|co|uk|de|fr|nl|jp|cn|ru|br|in|info|biz|cloud|ai|me|us|eu|ca|au)$/i;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const CLOCK = '\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?';
const ZONE = '(?:\\s?(?:Z|[+-]\\d{2}:?\\d{2}|UTC|GMT))?';

const PARAMETERS: readonly Parameter[] = [
  // Bounded local part and labels: unbounded runs backtrack quadratically on long messages.
  { placeholder: '<email>', pattern: /(?<![\w.+%-])[\w.+%-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b/g },
  { placeholder: '<url>', pattern: /\b(?:https?|wss?|ftp|file):\/\/[^\s"'<>)\]]*[^\s"'<>)\].,;:!?]/gi },
  {
    // A whole dotted run is taken in one step (linear); the suffix is checked afterwards.
    placeholder: '<hostname>',
    pattern: /(?<![\w.@-])[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi,
    accept: (match) => {
      const labels = match.split('.');
      return HOST_SUFFIX.test(labels[labels.length - 1] ?? '') && labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(label));
    },
  },
  {
    placeholder: '<ip>',
    pattern: /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|:)?(?::[0-9a-f]{1,4})*(?:%\w+)?(?![\w:])/gi,
    // Only real IPv6 shapes: a "::" compression or all eight groups; never a clock time like 12:30:45.
    accept: (match) => (match.includes('::') || match.split(':').length === 8) && /[0-9a-f]/i.test(match),
  },
  {
    placeholder: '<ip>',
    pattern: /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]|\.\d)/g,
  },
  { placeholder: '<uuid>', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  { placeholder: '<sha1>', pattern: /\b[0-9a-f]{40}\b/gi },
  { placeholder: '<md5>', pattern: /\b[0-9a-f]{32}\b/gi },
  {
    placeholder: '<date>',
    pattern: new RegExp(
      [
        `\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]${CLOCK}${ZONE})?`, // ISO 8601
        `\\b(?:${WEEKDAY},?\\s+)?\\d{1,2}\\s+${MONTH}\\s+\\d{4}(?:\\s+${CLOCK}${ZONE})?`, // RFC 2822
        `\\b(?:${WEEKDAY}\\s+)?${MONTH}\\s+\\d{1,2},?(?:\\s+${CLOCK}${ZONE})?\\s+\\d{4}\\b`, // C ctime / "Nov 25, 2026"
        '\\b\\d{1,2}[/.]\\d{1,2}[/.]\\d{4}\\b', // 11/25/2026, 25.11.2026
      ].join('|'),
      'g',
    ),
  },
  { placeholder: '<time>', pattern: new RegExp(`\\b${CLOCK}(?:\\s?[AaPp][Mm])?${ZONE}\\b`, 'g') },
  {
    placeholder: '<duration>',
    pattern:
      /(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|µs|us|ns|secs?|seconds?|s|mins?|minutes?|hrs?|hours?|h|days?)(?![\w])/g,
  },
  { placeholder: '<hex>', pattern: /\b0x[0-9a-f]+\b/gi },
  // Bare hex ids of 8+ characters; they must mix digits and letters so plain words stay.
  { placeholder: '<hex>', pattern: /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi },
  { placeholder: '<float>', pattern: /(?:(?<![\w.-])-)?(?<![\w.])\d+\.\d+(?:e[+-]?\d+)?(?![\w.]|\.\d)/gi },
  { placeholder: '<int>', pattern: /(?:(?<![\w.-])-)?(?<![\w.])\d+(?![\w]|\.\d)/g },
  { placeholder: '<quoted_str>', pattern: /(?<==)(?:"[^"]*"|'[^']*')/g },
  { placeholder: '<bool>', pattern: /(?<==)(?:true|false|True|False|TRUE|FALSE)\b/g },
];

export function parameterize(message: string): string {
  let result = message;
  for (const { placeholder, pattern, accept } of PARAMETERS) {
    result = result.replace(pattern, (match) => (accept === undefined || accept(match) ? placeholder : match));
  }
  return result;
}

/** Keeps the first two non-empty lines, as long multi-line messages vary below the headline. */
export function trimMessage(message: string): string {
  const lines = message.split(/\r?\n/).filter((line) => line.trim() !== '');
  const kept = lines.slice(0, 2).join('\n').trim();
  return lines.length > 2 ? `${kept}...` : kept;
}

/** Grouping looks at the start of a message; the rest rarely tells issues apart and costs time. */
const MAX_GROUPING_MESSAGE = 2048;

/** The message value that grouping hashes: trimmed, cut to its first 2048 characters, then parameterized. */
/** Short messages repeat (a crash loop sends the same one thousands of times); long ones are rarely worth keeping. */
const MEMO_MESSAGE_LENGTH = 256;
const normalizedMessages = new StringMemo<string>(1024);

export function normalizeMessageForGrouping(message: string): string {
  const normalize = (): string => parameterize(trimMessage(message).slice(0, MAX_GROUPING_MESSAGE));
  return message.length <= MEMO_MESSAGE_LENGTH ? normalizedMessages.get(message, normalize) : normalize();
}
