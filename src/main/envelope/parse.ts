/**
 * Sentry envelope framing: one JSON header line, then items, each a JSON header line followed by
 * its payload. A payload with a `length` is exactly that many bytes (binary-safe); without one it
 * runs to the next newline. Pure: bytes in, framed items out; payload contents are not inspected.
 */

export type EnvelopeErrorCode =
  | 'empty'
  | 'header_invalid_json'
  | 'header_not_object'
  | 'item_header_invalid_json'
  | 'item_header_not_object'
  | 'item_type_missing'
  | 'item_length_invalid'
  | 'item_length_past_end'
  | 'item_missing_newline';

/** Broken framing: the envelope cannot be split into items. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type EnvelopeHeader = Record<string, unknown>;

export interface EnvelopeItemHeader extends Record<string, unknown> {
  type: string;
  length?: number;
}

export interface EnvelopeItem {
  header: EnvelopeItemHeader;
  payload: Buffer;
}

export interface Envelope {
  header: EnvelopeHeader;
  items: EnvelopeItem[];
}

const NEWLINE = 0x0a;

/** Splits an envelope into its header and items; throws EnvelopeError on broken framing. */
export function parseEnvelope(bytes: Buffer): Envelope {
  if (bytes.length === 0) throw new EnvelopeError('empty', 'envelope is empty');
  const headerLine = readLine(bytes, 0);
  const header = parseJsonObject(lineText(bytes, headerLine), 'header');
  const items: EnvelopeItem[] = [];
  let offset = headerLine.next;
  while (offset < bytes.length) {
    // Blank lines between items carry nothing; relay tolerates them too.
    if (bytes[offset] === NEWLINE) {
      offset += 1;
      continue;
    }
    const item = readItem(bytes, offset, items.length);
    items.push(item.item);
    offset = item.next;
  }
  return { header, items };
}

function readItem(bytes: Buffer, offset: number, index: number): { item: EnvelopeItem; next: number } {
  const line = readLine(bytes, offset);
  const header = parseItemHeader(lineText(bytes, line), index);
  // An item header on the last line (no newline after it) has an empty payload.
  const start = Math.min(line.next, bytes.length);
  if (header.length === undefined) {
    const payloadLine = readLine(bytes, start);
    return { item: { header, payload: bytes.subarray(start, payloadLine.end) }, next: payloadLine.next };
  }
  const end = start + header.length;
  if (end > bytes.length) {
    throw new EnvelopeError(
      'item_length_past_end',
      `item ${index} declares length ${header.length} but only ${bytes.length - start} bytes remain`,
    );
  }
  if (end < bytes.length && bytes[end] !== NEWLINE) {
    throw new EnvelopeError('item_missing_newline', `item ${index} payload is not followed by a newline`);
  }
  return { item: { header, payload: bytes.subarray(start, end) }, next: end + 1 };
}

function parseItemHeader(text: string, index: number): EnvelopeItemHeader {
  const raw = parseJsonObject(text, 'item_header', index);
  const type = raw['type'];
  if (typeof type !== 'string' || type === '') {
    throw new EnvelopeError('item_type_missing', `item ${index} header has no "type"`);
  }
  const length = raw['length'];
  if (length === undefined || length === null) {
    const { length: _dropped, ...rest } = raw;
    return { ...rest, type };
  }
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new EnvelopeError('item_length_invalid', `item ${index} header has an invalid "length"`);
  }
  return { ...raw, type, length };
}

function parseJsonObject(text: string, what: 'header' | 'item_header', index = 0): Record<string, unknown> {
  const label = what === 'header' ? 'envelope header' : `item ${index} header`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EnvelopeError(`${what}_invalid_json`, `${label} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EnvelopeError(`${what}_not_object`, `${label} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** The line starting at `start`: where it begins, ends (without the newline), and where the next begins. */
function readLine(bytes: Buffer, start: number): { start: number; end: number; next: number } {
  const newline = bytes.indexOf(NEWLINE, start);
  const end = newline === -1 ? bytes.length : newline;
  return { start, end, next: end + 1 };
}

/**
 * A header line as text. Only headers are decoded here: a payload line stays bytes (an event's
 * reader decodes it once), which spares a copy of every event's JSON.
 */
function lineText(bytes: Buffer, line: { start: number; end: number }): string {
  // A stray carriage return (Windows line endings) is not part of the JSON.
  const textEnd = line.end > line.start && bytes[line.end - 1] === 0x0d ? line.end - 1 : line.end;
  return bytes.toString('utf8', line.start, textEnd);
}
