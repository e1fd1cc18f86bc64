/**
 * What the sender does with an upstream's answer: delivered, dropped for good (with the reason),
 * or kept and tried again later — after a backoff that grows with consecutive failures, or as
 * long as a 429's Retry-After / X-Sentry-Rate-Limits says. Pure: answers and clocks in, plans out.
 */

export interface RetryPolicy {
  /** The first retry waits about this long (ms); each further failure doubles it. */
  baseMs: number;
  /** Longest wait between attempts (ms). */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** When no Retry-After is given with a 429 (Sentry's SDKs use the same). */
const DEFAULT_RATE_LIMIT_MS = 60_000;

export interface UpstreamAnswer {
  status: number;
  /** Lowercase header names. */
  headers: Record<string, string | undefined>;
  /** The start of the body, for the reason. */
  body: string;
}

export type Plan =
  | { kind: 'delivered'; pauseUntilMs: number | null }
  | { kind: 'drop'; reason: string }
  | { kind: 'retry'; atMs: number; reason: string; failure: boolean };

/**
 * `failures`: consecutive failures before this one. `random` in [0, 1) spreads retries (jitter) so
 * many queues do not hit a recovering server at the same moment.
 */
export function planAfterAnswer(answer: UpstreamAnswer, nowMs: number, failures: number, random: number, policy: RetryPolicy): Plan {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    const limitedMs = rateLimitMs(answer.headers, nowMs);
    return { kind: 'delivered', pauseUntilMs: limitedMs === null ? null : nowMs + limitedMs };
  }
  const reason = `the upstream answered ${status}${detailOf(answer.body)}`;
  if (status === 429) {
    return { kind: 'retry', atMs: nowMs + (rateLimitMs(answer.headers, nowMs) ?? DEFAULT_RATE_LIMIT_MS), reason, failure: false };
  }
  // A request timeout is the network's fault; any other 4xx (400, 401, 403, 413…) will be refused again.
  if (status >= 400 && status < 500 && status !== 408) return { kind: 'drop', reason };
  return { kind: 'retry', atMs: nowMs + backoffMs(failures + 1, random, policy), reason, failure: true };
}

/** No answer at all: refused connection, DNS, timeout. */
export function planAfterNetworkError(message: string, nowMs: number, failures: number, random: number, policy: RetryPolicy): Plan {
  return { kind: 'retry', atMs: nowMs + backoffMs(failures + 1, random, policy), reason: `the upstream could not be reached: ${message}`, failure: true };
}

/** Exponential with "equal jitter": between half and all of base·2^(n-1), capped. */
export function backoffMs(failures: number, random: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/**
 * How long the upstream asked us to wait (ms), or null when it did not: X-Sentry-Rate-Limits
 * (`retry_after:categories:scope[:reason…]`, comma-separated; the longest entry counts, since an
 * envelope may hold any category) first, else Retry-After (seconds or an HTTP date).
 */
export function rateLimitMs(headers: Record<string, string | undefined>, nowMs: number): number | null {
  const limits = headers['x-sentry-rate-limits'];
  if (limits) {
    let longest: number | null = null;
    for (const entry of limits.split(',')) {
      const seconds = Number(entry.trim().split(':')[0]);
      if (Number.isFinite(seconds) && seconds >= 0) longest = Math.max(longest ?? 0, seconds * 1000);
    }
    if (longest !== null) return longest;
  }
  const retryAfter = headers['retry-after']?.trim();
  if (!retryAfter) return null;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

function detailOf(body: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(text) as { detail?: unknown };
    if (typeof parsed.detail === 'string') text = parsed.detail;
  } catch {
    // Not JSON: the text itself.
  }
  text = text.replace(/\s+/g, ' ').slice(0, 300);
  return text === '' ? '' : `: ${text}`;
}
