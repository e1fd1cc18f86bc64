/**
 * A dependency loaded by its first use rather than at start-up: what ingest never needs (the UA
 * parser, source maps, ZIP reading) stays out of the server's memory until something asks for it.
 * Synchronous (a CommonJS require), so it fits code that cannot await.
 */
import { createRequire } from 'node:module';

export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
}
