/**
 * Event payloads are stored deflate-compressed: JSON events shrink 4–8×, and level 1 keeps the
 * compression cost on the ingest path small (most of the ratio, a fraction of the CPU of level 6).
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';

export function encodePayload(json: string): Buffer {
  return deflateRawSync(json, { level: constants.Z_BEST_SPEED });
}

export function decodePayload(stored: Buffer): string {
  return inflateRawSync(stored).toString('utf8');
}
