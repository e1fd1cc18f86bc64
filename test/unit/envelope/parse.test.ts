import { describe, expect, it } from 'vitest';
import { EnvelopeError, parseEnvelope, type EnvelopeErrorCode } from '../../../src/main/envelope/parse';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function errorCode(input: Buffer): EnvelopeErrorCode | 'no error' {
  try {
    parseEnvelope(input);
    return 'no error';
  } catch (error) {
    if (error instanceof EnvelopeError) return error.code;
    throw error;
  }
}

describe('parseEnvelope framing', () => {
  it('reads items with a length, binary-safe', () => {
    const binary = Buffer.from([0x00, 0x0a, 0xff, 0x0a, 0x0d, 0x7b]);
    const input = Buffer.concat([
      bytes('{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","dsn":"https://k@h/1"}\n'),
      bytes(`{"type":"attachment","length":${binary.length},"filename":"a.bin"}\n`),
      binary,
      bytes('\n{"type":"event","length":13}\n{"level":"x"}\n'),
    ]);
    const envelope = parseEnvelope(input);
    expect(envelope.header).toEqual({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc', dsn: 'https://k@h/1' });
    expect(envelope.items).toHaveLength(2);
    expect(envelope.items[0]!.header).toEqual({ type: 'attachment', length: 6, filename: 'a.bin' });
    expect([...envelope.items[0]!.payload]).toEqual([...binary]);
    expect(envelope.items[1]!.payload.toString()).toBe('{"level":"x"}');
  });

  it('reads items without a length up to the next newline', () => {
    const envelope = parseEnvelope(bytes('{}\n{"type":"session"}\n{"sid":"a"}\n{"type":"event"}\n{"message":"m"}\n'));
    expect(envelope.header).toEqual({});
    expect(envelope.items.map((item) => [item.header.type, item.payload.toString()])).toEqual([
      ['session', '{"sid":"a"}'],
      ['event', '{"message":"m"}'],
    ]);
  });

  it('accepts a missing final newline, with and without length', () => {
    const withLength = parseEnvelope(bytes('{}\n{"type":"event","length":2}\n{}'));
    expect(withLength.items[0]!.payload.toString()).toBe('{}');
    const withoutLength = parseEnvelope(bytes('{}\n{"type":"event"}\n{"a":1}'));
    expect(withoutLength.items[0]!.payload.toString()).toBe('{"a":1}');
  });

  it('accepts an envelope with no items, with or without a newline', () => {
    expect(parseEnvelope(bytes('{}'))).toEqual({ header: {}, items: [] });
    expect(parseEnvelope(bytes('{"event_id":"x"}\n'))).toEqual({ header: { event_id: 'x' }, items: [] });
  });

  it('gives an item header on the last line an empty payload', () => {
    const envelope = parseEnvelope(bytes('{}\n{"type":"attachment","length":0}'));
    expect(envelope.items).toHaveLength(1);
    expect(envelope.items[0]!.payload.length).toBe(0);
    const noLength = parseEnvelope(bytes('{}\n{"type":"session"}\n'));
    expect(noLength.items[0]!.payload.length).toBe(0);
  });

  it('reads a zero-length item followed by another item', () => {
    const envelope = parseEnvelope(bytes('{}\n{"type":"attachment","length":0}\n\n{"type":"event","length":2}\n{}\n'));
    expect(envelope.items.map((item) => [item.header.type, item.payload.length])).toEqual([
      ['attachment', 0],
      ['event', 2],
    ]);
  });

  it('tolerates CRLF line endings around JSON headers', () => {
    const envelope = parseEnvelope(bytes('{"dsn":"d"}\r\n{"type":"event","length":2}\r\n{}'));
    expect(envelope.header).toEqual({ dsn: 'd' });
    expect(envelope.items[0]!.payload.toString()).toBe('{}');
  });

  it('treats a null length as absent', () => {
    const envelope = parseEnvelope(bytes('{}\n{"type":"event","length":null}\n{"a":1}\n'));
    expect(envelope.items[0]!.header).toEqual({ type: 'event' });
    expect(envelope.items[0]!.payload.toString()).toBe('{"a":1}');
  });

  it('counts length in bytes, not characters', () => {
    const payload = '{"message":"héllo ✓ 😀"}';
    const input = bytes(`{}\n{"type":"event","length":${Buffer.byteLength(payload)}}\n${payload}\n`);
    expect(parseEnvelope(input).items[0]!.payload.toString()).toBe(payload);
  });
});

describe('parseEnvelope errors', () => {
  const cases: [string, string | Buffer, EnvelopeErrorCode][] = [
    ['empty input', '', 'empty'],
    ['header that is not JSON', '{"dsn":\n', 'header_invalid_json'],
    ['header that is an array', '[1,2]\n', 'header_not_object'],
    ['blank first line', '\n{"type":"event"}\n{}', 'header_invalid_json'],
    ['item header that is not JSON', '{}\nnot json\n{}', 'item_header_invalid_json'],
    ['item header that is a string', '{}\n"event"\n{}', 'item_header_not_object'],
    ['item header without type', '{}\n{"length":2}\n{}', 'item_type_missing'],
    ['item header with a numeric type', '{}\n{"type":3}\n{}', 'item_type_missing'],
    ['negative length', '{}\n{"type":"event","length":-1}\n{}', 'item_length_invalid'],
    ['fractional length', '{}\n{"type":"event","length":1.5}\n{}', 'item_length_invalid'],
    ['string length', '{}\n{"type":"event","length":"2"}\n{}', 'item_length_invalid'],
    ['length past the end', '{}\n{"type":"event","length":100}\n{}', 'item_length_past_end'],
    ['payload longer than its length', '{}\n{"type":"event","length":1}\n{}\n', 'item_missing_newline'],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x01]), 'header_invalid_json'],
  ];
  it.each(cases)('%s → %s', (_name, input, code) => {
    expect(errorCode(typeof input === 'string' ? bytes(input) : input)).toBe(code);
  });

  it('carries a one-line message naming the item', () => {
    try {
      parseEnvelope(bytes('{}\n{"type":"event"}\n{}\n{"type":"event","length":50}\n{}'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvelopeError);
      expect((error as EnvelopeError).message).toBe('item 1 declares length 50 but only 2 bytes remain');
    }
  });
});
