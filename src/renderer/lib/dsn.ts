/**
 * DSNs as the page's reader can use them. The server names its loopback address in DSNs; a page
 * loaded from another machine (by this one's network address) must show that address instead,
 * or every DSN copied there points the app at its own machine. Pure.
 */

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** `dsn` with its host and port replaced by the page's, when the page was loaded by a non-loopback name. */
export function dsnForPage(dsn: string, page: { protocol: string; host: string; hostname: string }): string {
  if ((page.protocol !== 'http:' && page.protocol !== 'https:') || LOOPBACK_HOST.test(page.hostname)) return dsn;
  try {
    const parsed = new URL(dsn);
    if (!LOOPBACK_HOST.test(parsed.hostname)) return dsn;
    parsed.host = page.host;
    return parsed.toString();
  } catch {
    return dsn;
  }
}
