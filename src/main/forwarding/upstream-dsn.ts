/**
 * A project's upstream: the team's Sentry-compatible server, named by a DSN. Checked when it is
 * set (a URL, http or https, a key and a project id, not this Stacktray itself) and turned into
 * the envelope endpoint and the X-Sentry-Auth header. Pure.
 */

export interface Upstream {
  /** The DSN as stored (without a secret key). */
  dsn: string;
  envelopeUrl: string;
  publicKey: string;
}

/** Where this Stacktray listens: a DSN pointing here would forward envelopes to itself forever. */
export interface SelfAddress {
  /** Hosts that reach this process (its bind address, loopback names). */
  hosts: readonly string[];
  ports: readonly number[];
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0', '[::]'];

export type UpstreamCheck = { ok: true; upstream: Upstream } | { ok: false; reason: string };

export function parseUpstreamDsn(text: string, self?: SelfAddress): UpstreamCheck {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: `"${trimmed.slice(0, 200)}" is not a URL (expected https://<key>@host/<project id>)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `the upstream must be an http or https URL, not ${url.protocol.replace(/:$/, '')}` };
  }
  const publicKey = decodeURIComponent(url.username);
  if (publicKey === '') return { ok: false, reason: 'the upstream DSN has no key (expected https://<key>@host/<project id>)' };
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const projectId = segments.pop();
  if (projectId === undefined || !/^\d+$/.test(projectId)) {
    return { ok: false, reason: 'the upstream DSN does not end with a project id (expected https://<key>@host/<project id>)' };
  }
  if (self && pointsAt(url, self)) {
    return { ok: false, reason: 'the upstream is this Stacktray itself: its envelopes would be forwarded to it again and again' };
  }
  const prefix = segments.length > 0 ? `/${segments.join('/')}` : '';
  return {
    ok: true,
    upstream: {
      dsn: `${url.protocol}//${url.username}@${url.host}${prefix}/${projectId}`,
      envelopeUrl: `${url.protocol}//${url.host}${prefix}/api/${projectId}/envelope/`,
      publicKey,
    },
  };
}

export function authHeader(upstream: Upstream, client: string): string {
  return `Sentry sentry_version=7, sentry_key=${upstream.publicKey}, sentry_client=${client}`;
}

function pointsAt(url: URL, self: SelfAddress): boolean {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!self.ports.includes(port)) return false;
  const host = url.hostname.toLowerCase();
  return LOOPBACK_HOSTS.includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || self.hosts.some((own) => own.toLowerCase() === host || `[${own.toLowerCase()}]` === host);
}
