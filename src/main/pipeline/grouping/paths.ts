import type { NormalizedName } from './function-name';
import type { PlatformFamily } from './platform';

/** Hex content hashes (webpack's `[contenthash]`, 7+ characters) anywhere between dots or dashes. */
function isHexHash(token: string): boolean {
  return /^[0-9a-f]{7,}$/i.test(token) && /\d/.test(token);
}

/**
 * rollup/vite's 8-character base64url hash just before the extension (`index-oyEndFvm.js`,
 * `index-B-x1Yz9Q.js`): plain words rarely have a digit, `_`, `-` or a capital inside.
 */
const BASE64_HASH_BEFORE_EXTENSION = /[-.]([A-Za-z0-9_-]{8})(?=(?:\.chunk)?\.(?:m?js|cjs|css|map)$)/;

function looksLikeBase64Hash(token: string): boolean {
  return /[\d_-]/.test(token) || /[A-Z]/.test(token.slice(1));
}

/** `index-BZqH3q8e.js` → `index.js`, `main.3f2a1b9c.chunk.js` → `main.chunk.js`. */
export function stripBuildHashes(name: string): string {
  const base64 = BASE64_HASH_BEFORE_EXTENSION.exec(name);
  const withoutBase64 =
    base64?.[1] !== undefined && base64.index > 0 && looksLikeBase64Hash(base64[1])
      ? name.slice(0, base64.index) + name.slice(base64.index + base64[0].length)
      : name;
  const parts = withoutBase64.split(/([-.])/);
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const token = parts[i] ?? '';
    if (i > 0 && isHexHash(token)) continue;
    if (i > 0) kept.push(parts[i - 1] ?? '');
    kept.push(token);
  }
  return kept.join('');
}

export function isUrl(path: string | undefined): boolean {
  return path !== undefined && /^(https?|blob|wss?):/i.test(path);
}

const SCRIPT_EXTENSION = /\.(m?js|cjs|jsx|ts|tsx|mts|vue|svelte)$/i;

/**
 * A module for a browser frame served over http, from the URL's path without origin, extension or
 * build hash: the origin changes with the dev-server port, the hash with every build.
 */
export function moduleFromUrl(url: string): string | undefined {
  const match = /^[a-z]+:\/\/[^/]*(\/[^?#]*)?/i.exec(url);
  const path = match?.[1] ?? '';
  if (!SCRIPT_EXTENSION.test(path)) return undefined; // a page URL, not a script
  const segments = path
    .split('/')
    .map(stripBuildHashes)
    .filter((segment) => segment !== '');
  const last = segments.pop() ?? '';
  segments.push(last.replace(SCRIPT_EXTENSION, '').replace(/\.min$/i, ''));
  return segments.length > 0 ? segments.join('/') : undefined;
}

/** Java-family code generators add counters and hashes to class names at run time. */
const JVM_MARKERS: readonly [RegExp, string, string][] = [
  [/(\$\$[\w]+?CGLIB\$\$)[0-9a-f]+(_\d+)?/gi, '$1<auto>', 'removed codegen marker'],
  [/(\$\$(?:EnhancerBy|FastClassBy)\w+\$\$)[0-9a-f]+/gi, '$1<auto>', 'removed codegen marker'],
  [/(_\$\$_javassist)(?:_seam)?(?:_\d+)?/gi, '$1<auto>', 'removed codegen marker'],
  [/(\$HibernateProxy\$)\w+/g, '$1<auto>', 'removed codegen marker'],
  [/(\$fn__)\d+/g, '$1<auto>', 'removed codegen marker'],
  [/(\$\$Lambda)(?:\$\d+)?(?:\/(?:0x)?[0-9a-f]+)?(?:\.\d+)?/gi, '$1$<auto>', 'removed codegen marker'],
  [/(GeneratedMethodAccessor|GeneratedConstructorAccessor)\d+/g, '$1', 'removed reflection marker'],
  [/(Generated\w*Accessor)\d+/g, '$1<auto>', 'removed codegen marker'],
];

function stripJvmMarkers(value: string): { value: string; hint?: string } {
  let result = value;
  let hint: string | undefined;
  for (const [pattern, replacement, reason] of JVM_MARKERS) {
    const next = result.replace(pattern, replacement);
    if (next !== result) hint ??= reason;
    result = next;
  }
  return { value: result, hint };
}

export function normalizeModule(module: string, family: PlatformFamily, absPath: string | undefined): NormalizedName {
  if (family === 'java') {
    const { value, hint } = stripJvmMarkers(module);
    return hint === undefined ? { value, contributes: true } : { value, contributes: true, hint };
  }
  if (family === 'javascript') {
    // A "module" that just repeats a page URL's path says nothing about the code.
    if (isUrl(absPath) && module.includes('/') && moduleFromUrl(absPath ?? '') === undefined) {
      return { value: module, contributes: false, hint: 'ignored bad javascript module' };
    }
    const stripped = module.split(/([/:])/).map((part) => stripBuildHashes(part)).join('');
    return stripped === module ? { value: module, contributes: true } : { value: stripped, contributes: true, hint: 'removed build hash' };
  }
  return { value: module, contributes: true };
}

export function normalizeFilename(filename: string, family: PlatformFamily, absPath: string | undefined): NormalizedName {
  if (filename === '<anonymous>') return { value: filename, contributes: false, hint: 'anonymous filename discarded' };
  const withoutQuery = filename.replace(/[?#].*$/, '');
  const base = (withoutQuery.split(/[\\/]/).pop() ?? withoutQuery).toLowerCase();
  if (family === 'javascript' && (isUrl(absPath) || isUrl(filename))) {
    return { value: base, contributes: false, hint: 'ignored because frame points to a URL' };
  }
  let value = family === 'javascript' ? stripBuildHashes(base) : base;
  let hint: string | undefined = value !== base ? 'removed build hash' : undefined;
  if (family === 'java') {
    const cleaned = stripJvmMarkers(value);
    if (cleaned.hint !== undefined) hint = 'cleaned javassist parts';
    value = cleaned.value;
  }
  return hint === undefined ? { value, contributes: true } : { value, contributes: true, hint };
}
