/**
 * A payload as the few byte ranges where it differs from its group's reference payload
 * (payload-codec.ts). The events of one group differ from each other in a few ids and
 * timestamps; deflate with the reference as its dictionary finds that too, but setting a 5–30 KB
 * dictionary costs a fresh zlib handle and a hash insert per dictionary byte on every event
 * (~20 of its ~27 µs for a 7.6 KB @sentry/node event), while walking the two side by side four
 * bytes at a time costs a few µs and stores fewer bytes. Hand-written: the delta libraries on
 * npm (vcdiff, bsdiff ports) are native, unmaintained, or build suffix arrays per call, which is
 * the cost this avoids. Pure; no I/O.
 *
 * Format: varint payload length, then ops until that many bytes are produced: varint `copy`
 * (bytes taken from the reference at its cursor), and unless done, varint `literal` length, the
 * literal bytes, and a zigzag varint moving the reference cursor (0 when the literal replaced
 * as many reference bytes as it holds).
 */

/** Bytes after a difference that must match again before the reference is followed once more. */
const ANCHOR = 8;
/** How far past a difference a same-length replacement (an id, a digit run) is looked for. */
const MAX_REPLACEMENT = 96;
/** How far past a difference a shifted match (a value that grew or shrank) is looked for. */
const MAX_SHIFT_TRIES = 16;
/** indexOf searches per payload, so a payload unlike its reference costs a bounded scan. */
const MAX_SEARCHES = 64;
/** A shifted match is looked for from this far before the reference cursor. */
const SEARCH_BACK = 256;

/** Four-byte views need aligned memory: payloads are written into this scratch space. */
const scratch = Buffer.from(new ArrayBuffer(64 * 1024));
const scratchWords = new Uint32Array(scratch.buffer);
let output = Buffer.allocUnsafe(4 * 1024);

export interface DeltaReference {
  bytes: Buffer;
  words: Uint32Array;
}

/** The reference bytes on four-byte-aligned memory (a copy when the buffer is not aligned). */
export function deltaReference(data: Buffer): DeltaReference {
  const bytes = data.byteOffset % 4 === 0 ? data : Buffer.from(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  return { bytes, words: new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2) };
}

/**
 * The delta of `json` against the reference, or undefined when it would not be small:
 * over `maxBytes`, or when the payload is not close to the reference. The returned buffer starts
 * with `reserve` bytes left for the caller's header.
 */
export function encodeDelta(json: string, reference: DeltaReference, maxBytes: number, reserve = 0): Buffer | undefined {
  const n = Buffer.byteLength(json, 'utf8');
  // A payload this large is mostly not in a reference (at most its group's last 32 KB): left
  // to deflate, rather than keeping a scratch space the size of the largest event ever seen.
  if (n > scratch.length) return undefined;
  scratch.write(json, 0, 'utf8');
  if (output.length < maxBytes + 16) output = Buffer.allocUnsafe(maxBytes + 16);
  const p = scratch;
  const pw = scratchWords;
  const r = reference.bytes;
  const rw = reference.words;
  const m = r.length;
  const limit = maxBytes;
  let o = writeVarint(output, 0, n);
  let i = 0;
  let j = 0;
  let searches = 0;
  while (true) {
    const copy = matchLength(p, pw, i, n, r, rw, j, m);
    o = writeVarint(output, o, copy);
    i += copy;
    j += copy;
    if (i >= n) break;
    // A difference at i: find where the payload follows the reference again.
    let literal = 0;
    let nextJ = -1;
    for (let d = 1; d <= MAX_REPLACEMENT && i + d + ANCHOR <= n && j + d + ANCHOR <= m; d++) {
      if (sameBytes(p, i + d, r, j + d)) {
        literal = d;
        nextJ = j + d;
        break;
      }
    }
    for (let d = 1; nextJ === -1 && d <= MAX_SHIFT_TRIES && i + d + ANCHOR <= n; d++) {
      if (++searches > MAX_SEARCHES) return undefined;
      const at = r.indexOf(p.subarray(i + d, i + d + ANCHOR), Math.max(0, j - SEARCH_BACK));
      if (at !== -1) {
        literal = d;
        nextJ = at;
      }
    }
    if (nextJ === -1) {
      // Nothing further on matches: the rest is literal, if that is still small.
      literal = n - i;
      nextJ = j;
    }
    if (o + 10 + literal + 10 > limit) return undefined;
    o = writeVarint(output, o, literal);
    p.copy(output, o, i, i + literal);
    o += literal;
    i += literal;
    const move = nextJ - (j + literal);
    o = writeVarint(output, o, move >= 0 ? move * 2 : -move * 2 - 1);
    j = nextJ;
    if (i >= n) break;
  }
  if (o > limit) return undefined;
  // A wrong delta would lose the event for good: it is stored only if it gives the payload back
  // (a copy and a compare of the payload's bytes, ~1 µs for 5 KB; deflate is the fallback).
  if (!applyDelta(output.subarray(0, o), r).equals(p.subarray(0, n))) return undefined;
  const delta = Buffer.allocUnsafe(reserve + o);
  output.copy(delta, reserve, 0, o);
  return delta;
}

/** The payload bytes a delta describes; throws on a delta that does not fit its reference. */
export function applyDelta(delta: Buffer, reference: Buffer): Buffer {
  const corrupt = (): never => {
    throw new Error('stored payload delta is corrupt');
  };
  let at = 0;
  const read = (): number => {
    let value = 0;
    let shift = 0;
    while (true) {
      if (at >= delta.length || shift > 28) return corrupt();
      const byte = delta[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  const n = read();
  if (n > 1 << 24) corrupt();
  const out = Buffer.allocUnsafe(n);
  let produced = 0;
  let j = 0;
  while (true) {
    const copy = read();
    if (produced + copy > n || j + copy > reference.length) corrupt();
    reference.copy(out, produced, j, j + copy);
    produced += copy;
    j += copy;
    if (produced === n) break;
    const literal = read();
    if (literal === 0 || produced + literal > n || at + literal > delta.length) corrupt();
    delta.copy(out, produced, at, at + literal);
    at += literal;
    produced += literal;
    const zigzag = read();
    j += literal + (zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2);
    if (j < 0 || j > reference.length) corrupt();
    if (produced === n) break;
  }
  if (at !== delta.length) corrupt();
  return out;
}

/** How many bytes from p[i] and r[j] on are equal; four at a time while both sit on a word boundary. */
function matchLength(p: Buffer, pw: Uint32Array, i: number, n: number, r: Buffer, rw: Uint32Array, j: number, m: number): number {
  let a = i;
  let b = j;
  if (((a - b) & 3) === 0) {
    while ((a & 3) !== 0 && a < n && b < m && p[a] === r[b]) {
      a++;
      b++;
    }
    if ((a & 3) === 0) {
      while (a + 4 <= n && b + 4 <= m && pw[a >>> 2] === rw[b >>> 2]) {
        a += 4;
        b += 4;
      }
    }
  }
  while (a < n && b < m && p[a] === r[b]) {
    a++;
    b++;
  }
  return a - i;
}

function sameBytes(p: Buffer, i: number, r: Buffer, j: number): boolean {
  for (let k = 0; k < ANCHOR; k++) if (p[i + k] !== r[j + k]) return false;
  return true;
}

function writeVarint(target: Buffer, at: number, value: number): number {
  let rest = value;
  let o = at;
  while (rest >= 0x80) {
    target[o++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 128);
  }
  target[o++] = rest;
  return o;
}
