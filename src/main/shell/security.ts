/** Where the window may go and what the page may load: the rules, as pure functions over URLs. */

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

/**
 * The one permission the page gets: writing text to the clipboard (`navigator.clipboard.writeText`,
 * the Copy buttons), and only for the app's own origin. Reading the clipboard, camera, notifications
 * and the rest stay denied. `requestingUrl` is a page URL or an origin.
 */
export function permissionGranted(permission: string, requestingUrl: string, allowedOrigins: readonly string[]): boolean {
  return permission === 'clipboard-sanitized-write' && navigationDecision(requestingUrl, allowedOrigins) === 'allow';
}
