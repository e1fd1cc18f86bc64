/**
 * The one fetcher of URLs from event data: only loopback hosts (127.0.0.0/8, localhost, [::1]),
 * where a developer's dev server runs; any other host is refused before a connection is made
 * (no SSRF). The name is resolved here and every address must be loopback, redirects are not
 * followed, answers are cut at a size cap and a timeout, and kept by URL with their
 * ETag/Last-Modified so a warm cache costs one conditional request.
 */
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export type FetchResult =
  | { ok: true; text: string; url: string; headers: Record<string, string | undefined> }
  | { ok: false; reason: string; type: 'restricted_host' | 'fetch_timeout' | 'fetch_too_large' | 'fetch_failed' | 'fetch_invalid_http_code' };

export interface LoopbackFetcherOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Entries kept; each is at most maxBytes. */
  cacheEntries?: number;
  /** A cached answer younger than this is used without asking the server again. */
  freshMs?: number;
}

interface CachedAnswer {
  text: string;
  headers: Record<string, string | undefined>;
  etag?: string;
  lastModified?: string;
  checkedAt: number;
}

export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare) || /^(0+:){7}0*1$/.test(bare);
  return false;
}

export function isLoopbackUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return parsed.hostname === 'localhost' || isLoopbackAddress(parsed.hostname);
}

/** Resolves names only to loopback addresses: `localhost` mapped elsewhere is refused too. */
const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const allowed = addresses.filter((entry) => isLoopbackAddress(entry.address));
    if (allowed.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve to a loopback address`), { code: 'ENOTLOOPBACK' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: typeof allowed) => void)(null, allowed);
    const first = allowed[0]!;
    callback(null, first.address, first.family);
  });
};

export class LoopbackFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly cacheEntries: number;
  private readonly freshMs: number;
  private readonly cache = new Map<string, CachedAnswer>();

  constructor(options: LoopbackFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.cacheEntries = options.cacheEntries ?? 64;
    this.freshMs = options.freshMs ?? 2000;
  }

  /** A cached answer still fresh enough to use without asking (the ingest path's quick check). */
  fresh(url: string): boolean {
    const cached = this.cache.get(url);
    return cached !== undefined && Date.now() - cached.checkedAt < this.freshMs;
  }

  async fetchText(url: string): Promise<FetchResult> {
    if (!isLoopbackUrl(url)) return { ok: false, type: 'restricted_host', reason: `${url} is not on this machine: only loopback dev servers are fetched` };
    const cached = this.cache.get(url);
    if (cached && Date.now() - cached.checkedAt < this.freshMs) return { ok: true, text: cached.text, url, headers: cached.headers };
    const conditional: Record<string, string> = {};
    if (cached?.etag) conditional['if-none-match'] = cached.etag;
    if (cached?.lastModified) conditional['if-modified-since'] = cached.lastModified;
    const answer = await this.get(url, conditional);
    if (!answer.ok) return answer;
    if (answer.status === 304 && cached) {
      cached.checkedAt = Date.now();
      this.touch(url, cached);
      return { ok: true, text: cached.text, url, headers: cached.headers };
    }
    if (answer.status < 200 || answer.status >= 300) {
      return { ok: false, type: 'fetch_invalid_http_code', reason: `${url} answered HTTP ${answer.status}` };
    }
    const entry: CachedAnswer = { text: answer.text, headers: answer.headers, checkedAt: Date.now() };
    if (answer.headers['etag']) entry.etag = answer.headers['etag'];
    if (answer.headers['last-modified']) entry.lastModified = answer.headers['last-modified'];
    this.touch(url, entry);
    return { ok: true, text: answer.text, url, headers: answer.headers };
  }

  private touch(url: string, entry: CachedAnswer): void {
    this.cache.delete(url);
    this.cache.set(url, entry);
    while (this.cache.size > this.cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
  }

  private get(url: string, headers: Record<string, string>) {
    type Answer = { ok: true; status: number; text: string; headers: Record<string, string | undefined> } | Extract<FetchResult, { ok: false }>;
    return new Promise<Answer>((resolve) => {
      const parsed = new URL(url);
      const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
      let settled = false;
      const finish = (answer: Answer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const request = send(
        parsed,
        // Dev servers use self-signed certificates; the host is this machine, checked above.
        { method: 'GET', headers: { ...headers, 'accept-encoding': 'identity' }, lookup: loopbackLookup, rejectUnauthorized: false },
        (response: IncomingMessage) => {
          const declared = Number(response.headers['content-length']);
          if (Number.isFinite(declared) && declared > this.maxBytes) {
            response.destroy();
            request.destroy();
            return finish({ ok: false, type: 'fetch_too_large', reason: `${url} is over the ${this.maxBytes / (1024 * 1024)} MB limit` });
          }
          const chunks: Buffer[] = [];
          let total = 0;
          response.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > this.maxBytes) {
              response.destroy();
              request.destroy();
              finish({ ok: false, type: 'fetch_too_large', reason: `${url} is over the ${this.maxBytes / (1024 * 1024)} MB limit` });
            } else chunks.push(chunk);
          });
          response.on('end', () => {
            const flat: Record<string, string | undefined> = {};
            for (const [key, value] of Object.entries(response.headers)) flat[key] = Array.isArray(value) ? value.join(', ') : value;
            finish({ ok: true, status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: flat });
          });
          response.on('error', (error) => finish({ ok: false, type: 'fetch_failed', reason: `${url}: ${error.message}` }));
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        finish({ ok: false, type: 'fetch_timeout', reason: `${url} did not answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => {
        const type = error.code === 'ENOTLOOPBACK' ? 'restricted_host' : 'fetch_failed';
        finish({ ok: false, type, reason: `${url}: ${error.message}` });
      });
      request.end();
    });
  }
}
