/** Headers for files Stacktray serves for download: never rendered as active content. */

const INERT_TYPES = /^(text\/plain|application\/json|application\/octet-stream|image\/(png|jpeg|gif|webp)|application\/zip|application\/gzip)$/i;

/** Only inert types are passed through; HTML, SVG, JavaScript and the rest become octet-stream. */
export function safeContentType(declared: string): string {
  const base = declared.split(';')[0]?.trim() ?? '';
  if (base.toLowerCase() === 'text/plain') return 'text/plain; charset=utf-8';
  return INERT_TYPES.test(base) ? base : 'application/octet-stream';
}

export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'download';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
