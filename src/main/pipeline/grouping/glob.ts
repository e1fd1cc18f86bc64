/**
 * Glob matching as in Sentry's fingerprint rules: `*` any run of characters (not `/` in paths,
 * where `**` crosses folders), `?` one character, `[abc]` a class, `\` escapes. Case-insensitive.
 */
function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/** By mode, then pattern: every event is matched against the built-in rules, so no key is built per call. */
const pathCache = new Map<string, RegExp>();
const stringCache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, pathMode: boolean): RegExp {
  const cache = pathMode ? pathCache : stringCache;
  const key = pattern;
  const cached = cache.get(key);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (char === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[i + 1] ?? '');
      i += 1;
    } else if (char === '*') {
      if (pathMode && pattern[i + 1] === '*') {
        source += '.*';
        i += 1;
      } else source += pathMode ? '[^/]*' : '.*';
    } else if (char === '?') source += pathMode ? '[^/]' : '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else source += escapeRegExp(char);
  }
  let regexp: RegExp;
  try {
    regexp = new RegExp(`^${source}$`, 'is');
  } catch {
    // e.g. a reversed class `[z-a]`: such a pattern matches nothing rather than breaking grouping.
    regexp = /(?!)/;
  }
  cache.set(key, regexp);
  return regexp;
}

/** Whether a pattern is a usable glob (reported to the user when parsing rules). */
export function isValidGlob(pattern: string): boolean {
  return globToRegExp(pattern, false).source !== '(?!)';
}

export function globMatch(value: string, pattern: string, pathMode = false): boolean {
  if (!pathMode) return globToRegExp(pattern, false).test(value);
  // Paths compare with forward slashes; a relative pattern may match the path's tail.
  const path = value.replace(/\\/g, '/');
  const regexp = globToRegExp(pattern, true);
  return regexp.test(path) || (!pattern.startsWith('/') && !pattern.startsWith('*') && globToRegExp(`**/${pattern}`, true).test(path));
}
