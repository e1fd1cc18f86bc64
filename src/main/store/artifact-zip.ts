/**
 * Reading artifact-bundle ZIPs (yauzl) as hostile input: entry names with `..` or absolute paths
 * are refused by yauzl itself, declared sizes are checked before anything is inflated (a ZIP bomb
 * declares gigabytes, or a ratio no source file has), and yauzl stops an entry that inflates past
 * its declared size. Nothing is ever extracted to disk: entries are read into memory, capped.
 */
import type { Entry, ZipFile } from 'yauzl';
import { lazyModule } from '../lazy-module';

/** Loaded by the first bundle read or upload, not at start-up. */
const yauzl = lazyModule<typeof import('yauzl')>('yauzl');

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry (text compresses ~5–15×). */
  maxRatio: number;
}

export const ARTIFACT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
};

export type ZipListing = { ok: true; entries: Map<string, Entry> } | { ok: false; reason: string };

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl().open(file, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (error, zip) => {
      if (error) reject(error);
      else resolve(zip);
    });
  });
}

/** Opens the ZIP for `use` and always closes it; a file that is no ZIP is a one-line reason. */
async function withZip<T>(file: string, use: (zip: ZipFile) => Promise<T | { ok: false; reason: string }>): Promise<T | { ok: false; reason: string }> {
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch (error) {
    return { ok: false, reason: `not a readable ZIP (${oneLine(error)})` };
  }
  try {
    return await use(zip);
  } catch (error) {
    return { ok: false, reason: oneLine(error) };
  } finally {
    zip.close();
  }
}

/** Lists the entries and checks them against the limits, without inflating anything. */
export function listZip(file: string, limits: ZipLimits = ARTIFACT_ZIP_LIMITS): Promise<ZipListing> {
  return withZip(file, (zip) =>
    new Promise<ZipListing>((resolve) => {
      const entries = new Map<string, Entry>();
      let total = 0;
      zip.on('error', (error) => resolve({ ok: false, reason: `not a readable ZIP (${oneLine(error)})` }));
      zip.on('end', () => resolve({ ok: true, entries }));
      zip.on('entry', (entry: Entry) => {
        const name = entry.fileName;
        if (!name.endsWith('/')) {
          total += entry.uncompressedSize;
          const ratio = entry.compressedSize === 0 ? (entry.uncompressedSize === 0 ? 0 : Infinity) : entry.uncompressedSize / entry.compressedSize;
          if (entries.size >= limits.maxEntries) return resolve({ ok: false, reason: `more than ${limits.maxEntries} files` });
          if (entry.uncompressedSize > limits.maxEntryBytes) return resolve({ ok: false, reason: `${name} is over the ${limits.maxEntryBytes / 1048576} MB limit for one file` });
          if (total > limits.maxTotalBytes) return resolve({ ok: false, reason: `its files are over ${limits.maxTotalBytes / 1048576} MB in all` });
          if (ratio > limits.maxRatio && entry.uncompressedSize > 1024 * 1024) return resolve({ ok: false, reason: `${name} compresses ${Math.round(ratio)}×: refused as a ZIP bomb` });
          entries.set(name, entry);
        }
        zip.readEntry();
      });
      zip.readEntry();
    }),
  );
}

/** Reads one entry (found by listZip) into memory, stopping at `maxBytes`. */
export function readZipEntry(file: string, name: string, maxBytes: number): Promise<{ ok: true; data: Buffer } | { ok: false; reason: string }> {
  return withZip(file, async (zip) => {
    const entry = await new Promise<Entry | null>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve(null));
      zip.on('entry', (found: Entry) => (found.fileName === name ? resolve(found) : zip.readEntry()));
      zip.readEntry();
    });
    if (!entry) return { ok: false, reason: `${name} is not in the bundle` };
    if (entry.uncompressedSize > maxBytes) return { ok: false, reason: `${name} is over the ${Math.round(maxBytes / 1048576)} MB limit` };
    const data = await new Promise<Buffer>((resolve, reject) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        let total = 0;
        stream.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxBytes) stream.destroy(new Error(`${name} inflates past ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        stream.on('error', reject);
        stream.on('end', () => resolve(Buffer.concat(chunks)));
      });
    });
    return { ok: true as const, data };
  });
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}
