/**
 * Keyless ingest (Spotlight's `/stream`, OTLP's `/v1/*`) trusts whoever can reach it, so it is
 * for this machine only: the sender must connect over loopback. A page in a browser must also be
 * served from a loopback origin, or any web site the user opens could fill their tracker.
 */
import type { FastifyRequest } from 'fastify';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** An origin naming this machine by one of its loopback names (127.0.0.1, localhost, [::1]). */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_NAMES.has(new URL(origin).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Why this keyless request is refused (null when it is from this machine): the sender's address
 * and what to use instead, the keyed endpoint at `keyedPath`.
 */
export function keylessRefusal(request: FastifyRequest, what: string, keyedPath: string): string | null {
  const address = request.socket.remoteAddress;
  if (!isLoopbackAddress(address)) {
    return (
      `keyless ${what} is accepted over loopback only (127.0.0.1 or localhost), and this request came from ` +
      `${address ?? 'an unknown address'}; from another machine, or by this machine's network address, ` +
      `send to ${keyedPath} with the project's key (its DSN)`
    );
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null' && !isLoopbackOrigin(origin)) {
    return `keyless ${what} is accepted from pages served on this machine (localhost) only, not from ${origin}; send to ${keyedPath} with the project's key (its DSN)`;
  }
  return null;
}
