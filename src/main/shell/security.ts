/** Where the window may go and what the page may load: the rules, as pure functions over URLs. */

/**
 * The policy the core's static UI sends and the renderer's index.html declares (test/build checks all
 * three agree); the window's session adds it to every response of the app's origins, dev server included.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Schemes handed to the OS when the page links to them; everything else is refused. */
const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

export function navigationDecision(url: string, allowedOrigins: readonly string[]): NavigationDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'deny';
  }
  if (allowedOrigins.includes(parsed.origin)) return 'allow';
  return EXTERNAL_SCHEMES.has(parsed.protocol) ? 'open-externally' : 'deny';
}

/** IPC is answered only for the app's own pages (a frame of another origin gets nothing). */
export function isTrustedSender(senderUrl: string, allowedOrigins: readonly string[]): boolean {
  return navigationDecision(senderUrl, allowedOrigins) === 'allow';
}
