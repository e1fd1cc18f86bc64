/**
 * The one Content-Security-Policy of the UI: sent by the core with the UI's files, set by the
 * desktop window's session on every response of the app's origins, and written into the
 * renderer's index.html at build time (electron.vite.config.ts) for pages loaded from disk.
 */
const DIRECTIVES = [
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
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** For a `<meta http-equiv>`: browsers ignore frame-ancestors there and warn about it. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter((directive) => !directive.startsWith('frame-ancestors')).join('; ');
