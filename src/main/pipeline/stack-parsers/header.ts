/** `Type: message` headers shared by several runtimes. */

export interface ExceptionHeader {
  type?: string;
  value?: string;
}

const TYPE_NAME = /^[\p{L}_$][\p{L}\p{N}_$.`+<>\[\],:\/-]*$/u;

/** Splits `Type: message` (or a bare `Type`); a header that does not start with a name is all message. */
export function splitTypeAndMessage(header: string): ExceptionHeader {
  const trimmed = header.trim();
  if (trimmed === '') return {};
  const colon = trimmed.indexOf(': ');
  const candidate = colon === -1 ? trimmed.replace(/:$/, '') : trimmed.slice(0, colon);
  if (TYPE_NAME.test(candidate) && !candidate.includes(' ')) {
    const value = colon === -1 ? undefined : trimmed.slice(colon + 2);
    return value === undefined || value === '' ? { type: candidate } : { type: candidate, value };
  }
  return { value: trimmed };
}

/** `pkg.sub.Name` → module `pkg.sub`, type `Name` (Sentry's split for Java and Python). */
export function splitQualifiedType(qualified: string): { type: string; module?: string } {
  const dot = qualified.lastIndexOf('.');
  if (dot <= 0) return { type: qualified };
  return { type: qualified.slice(dot + 1), module: qualified.slice(0, dot) };
}
