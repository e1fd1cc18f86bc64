/**
 * Writes ZIP files for tests, including the hostile ones a real tool refuses to make: entry
 * names with `../`, and entries whose declared sizes lie (a ZIP bomb's signature).
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  /** Declare this uncompressed size instead of the real one. */
  declaredSize?: number;
}

export function zipFile(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data);
    const compressed = deflateRawSync(data);
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);
    // The central header is the local one with "version made by" in front (fields shift by 2).
    const header = (signature: number, length: number, shift: number): Buffer => {
      const buffer = Buffer.alloc(length);
      buffer.writeUInt32LE(signature, 0);
      buffer.writeUInt16LE(20, 4 + shift);
      buffer.writeUInt16LE(8, 8 + shift);
      buffer.writeUInt32LE(crc, 14 + shift);
      buffer.writeUInt32LE(compressed.length, 18 + shift);
      buffer.writeUInt32LE(size, 22 + shift);
      buffer.writeUInt16LE(name.length, 26 + shift);
      return buffer;
    };
    const local = header(0x04034b50, 30, 0);
    const central = header(0x02014b50, 46, 2);
    central.writeUInt16LE(20, 4);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
