/**
 * Field readers shared by both encodings: OTLP/JSON (hex ids, int64 as string or number) and
 * decoded protobuf (bytes as Uint8Array, int64 as decimal strings). Each throws OtlpFormatError
 * naming the field's path when a value has the wrong type.
 */
import { setOwn } from '../../pipeline/normalize/data';
import { NORMALIZE_LIMITS } from '../../pipeline/normalize/limits';
import { OtlpFormatError, type AttributeValue, type Attributes } from './otlp-types';

export type Loose = Record<string, unknown>;

/**
 * Deepest nesting of array and kvlist values kept, counted from the attribute map or log body
 * (depth 0). The stored payload keeps no more (NORMALIZE_LIMITS.payloadDepth), and reading deeper
 * would recurse until the stack overflows; deeper values are dropped as payload-depth cuts them:
 * a kvlist entry loses its key, an array keeps a null in its place.
 */
export const VALUE_DEPTH = NORMALIZE_LIMITS.payloadDepth;

/** What reading changed in a request (reported to the sender as a partial-success warning). */
export interface ReadNotes {
  /** Array and kvlist values dropped for nesting at VALUE_DEPTH or deeper. */
  valuesCut: number;
}

export function emptyNotes(): ReadNotes {
  return { valuesCut: 0 };
}

export function optionalObject(value: unknown, path: string): Loose | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new OtlpFormatError(`${path} must be an object`);
  }
  return value as Loose;
}

export function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpFormatError(`${path} must be an array`);
  return value;
}

export function text(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new OtlpFormatError(`${path} must be a string`);
  return value;
}

/** int32/uint32/enum fields: a JSON number, or (leniently) a numeric string. */
export function integer(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new OtlpFormatError(`${path} must be an integer`);
  return number;
}

/** fixed64 nanosecond timestamps: decimal strings or numbers, kept as a decimal string. */
export function unixNano(value: unknown, path: string): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value).toString();
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value).toString();
  throw new OtlpFormatError(`${path} must be an unsigned integer (nanoseconds) as a string or number`);
}

/** Trace and span ids: hex in JSON, bytes in protobuf; all-zero and empty mean "none". */
export function id(value: unknown, bytes: number, path: string): string {
  if (value === undefined || value === null || value === '') return '';
  let hex: string;
  if (value instanceof Uint8Array) hex = Buffer.from(value).toString('hex');
  else if (typeof value === 'string' && /^[0-9a-fA-F]*$/.test(value)) hex = value.toLowerCase();
  else throw new OtlpFormatError(`${path} must be a hex string`);
  if (hex.length === 0) return '';
  if (hex.length !== bytes * 2) throw new OtlpFormatError(`${path} must be ${bytes} bytes (${bytes * 2} hex digits)`);
  return /^0+$/.test(hex) ? '' : hex;
}

/** A KeyValue list as a map; `depth` is the map's own nesting (0 for a span's or record's attributes). */
export function attributes(value: unknown, path: string, notes: ReadNotes, depth = 0): Attributes {
  const result: Attributes = {};
  list(value, path).forEach((entry, index) => {
    const keyValue = optionalObject(entry, `${path}[${index}]`) ?? {};
    const key = text(keyValue['key'], `${path}[${index}].key`);
    const read = anyValue(keyValue['value'], `${path}[${index}].value`, notes, depth + 1);
    // setOwn: a "__proto__" key stays an entry instead of replacing the map's prototype.
    if (read !== undefined) setOwn(result, key, read);
  });
  return result;
}

/**
 * AnyValue: exactly one of its `*Value` fields, or nothing (an empty value, null). undefined: an
 * array or kvlist at VALUE_DEPTH or deeper, dropped without reading (or checking) what it holds.
 */
export function anyValue(value: unknown, path: string, notes: ReadNotes, depth = 0): AttributeValue | undefined {
  const holder = optionalObject(value, path);
  if (!holder) return null;
  if ('stringValue' in holder && holder['stringValue'] !== undefined) return text(holder['stringValue'], `${path}.stringValue`);
  if ('boolValue' in holder && holder['boolValue'] !== undefined) {
    if (typeof holder['boolValue'] !== 'boolean') throw new OtlpFormatError(`${path}.boolValue must be a boolean`);
    return holder['boolValue'];
  }
  if ('intValue' in holder && holder['intValue'] !== undefined) return int64(holder['intValue'], `${path}.intValue`);
  if ('doubleValue' in holder && holder['doubleValue'] !== undefined) return double(holder['doubleValue'], `${path}.doubleValue`);
  if ('bytesValue' in holder && holder['bytesValue'] !== undefined) return bytesAsBase64(holder['bytesValue'], `${path}.bytesValue`);
  const nested = holder['arrayValue'] !== undefined || holder['kvlistValue'] !== undefined;
  if (nested && depth >= VALUE_DEPTH) {
    notes.valuesCut++;
    return undefined;
  }
  if ('arrayValue' in holder && holder['arrayValue'] !== undefined) {
    const array = optionalObject(holder['arrayValue'], `${path}.arrayValue`) ?? {};
    return list(array['values'], `${path}.arrayValue.values`).map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`, notes, depth + 1) ?? null);
  }
  if ('kvlistValue' in holder && holder['kvlistValue'] !== undefined) {
    const kvlist = optionalObject(holder['kvlistValue'], `${path}.kvlistValue`) ?? {};
    return attributes(kvlist['values'], `${path}.kvlistValue.values`, notes, depth);
  }
  return null;
}

/** int64 as a number when it fits exactly, otherwise its decimal string. */
function int64(value: unknown, path: string): number | string {
  const digits = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof digits !== 'string' || !/^-?\d{1,20}$/.test(digits)) throw new OtlpFormatError(`${path} must be an integer`);
  const number = Number(digits);
  return Number.isSafeInteger(number) ? number : BigInt(digits).toString();
}

function double(value: unknown, path: string): number | string {
  if (typeof value === 'number') return value;
  // proto3 JSON writes non-finite doubles as strings.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new OtlpFormatError(`${path} must be a number`);
}

function bytesAsBase64(value: unknown, path: string): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'string') return value;
  throw new OtlpFormatError(`${path} must be base64 bytes`);
}
