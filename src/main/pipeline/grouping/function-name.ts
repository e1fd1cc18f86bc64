import type { PlatformFamily } from './platform';

export interface NormalizedName {
  value: string;
  contributes: boolean;
  hint?: string;
}

const UNKNOWN_JS_FUNCTIONS = new Set(['?', '<anonymous>', '<anonymous function>', 'Anonymous function', 'anonymous']);

/** `Foo.bar.baz [as qux]` → `baz [as qux]`: the receiver prefix depends on how the code was called. */
function trimJavascriptFunction(name: string): string {
  const alias = /\s*\[as [^\]]*\]$/.exec(name);
  const base = alias ? name.slice(0, alias.index) : name;
  // `new Foo` and `async foo` keep their keyword off the segment split.
  const segments = base.split('.').filter((segment) => segment !== '');
  const last = segments[segments.length - 1] ?? base;
  return alias ? `${last}${alias[0]}` : last;
}

function javascript(name: string): NormalizedName {
  const trimmed = trimJavascriptFunction(name);
  if (UNKNOWN_JS_FUNCTIONS.has(trimmed) || trimmed.endsWith('/<')) {
    return { value: trimmed, contributes: false, hint: 'ignored unknown function name' };
  }
  return trimmed === name
    ? { value: name, contributes: true }
    : { value: trimmed, contributes: true, hint: 'trimmed javascript function' };
}

function python(name: string): NormalizedName {
  if (name === '<lambda>') return { value: name, contributes: false, hint: 'ignored python lambda' };
  return { value: name, contributes: true };
}

function java(name: string): NormalizedName {
  // `lambda$main$0`: the index is assigned by the compiler in source order.
  if (name.startsWith('lambda$')) return { value: name, contributes: false, hint: 'ignored java lambda' };
  return { value: name, contributes: true };
}

function ruby(name: string): NormalizedName {
  const block = /^block (?:\(\d+ levels\) )?in (.+)$/.exec(name);
  if (block?.[1] !== undefined) {
    return { value: `block in ${block[1]}`, contributes: true, hint: name.includes('levels') ? 'ruby block depth removed' : undefined };
  }
  const erb = /^(_.+_erb)__-?\d+_-?\d+$/.exec(name);
  if (erb?.[1] !== undefined) return { value: erb[1], contributes: true, hint: 'removed generated erb template suffix' };
  return { value: name, contributes: true };
}

function csharp(name: string): NormalizedName {
  // Expression trees compiled at run time are numbered in the order they were first used.
  // (Compiler-named lambdas like `<Main>b__0_1` keep their index: it tells call sites apart.)
  const stripped = name.replace(/^lambda_method\d+$/, 'lambda_method');
  return stripped === name ? { value: name, contributes: true } : { value: stripped, contributes: true, hint: 'removed run-time counter' };
}

function php(name: string): NormalizedName {
  // PHP 8.4 names closures `{closure:/path/file.php:12}`: the path and line must not split groups.
  const stripped = name.replace(/\{closure:[^}]*\}/g, '{closure}');
  return stripped === name ? { value: name, contributes: true } : { value: stripped, contributes: true, hint: 'removed closure location' };
}

export function normalizeFunctionName(name: string | undefined, family: PlatformFamily): NormalizedName | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  switch (family) {
    case 'javascript':
      return javascript(name);
    case 'python':
      return python(name);
    case 'java':
      return java(name);
    case 'ruby':
      return ruby(name);
    case 'csharp':
      return csharp(name);
    case 'php':
      return php(name);
    default:
      return name === '?' || name === '<unknown>'
        ? { value: name, contributes: false, hint: 'ignored unknown function name' }
        : { value: name, contributes: true };
  }
}
