import type { StackFrame } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, exclude, leaf } from './components';
import { normalizeFunctionName, type NormalizedName } from './function-name';
import { isInApp } from './in-app';
import { isUrl, moduleFromUrl, normalizeFilename, normalizeModule } from './paths';
import { StringMemo } from './memo';
import { platformFamily, usesContextLines, type PlatformFamily } from './platform';

export type VariantKind = 'app' | 'system';

/** Longer source lines are usually minified code or data, not a statement worth grouping on. */
const MAX_CONTEXT_LINE = 120;

/**
 * Transpiler helpers and polyfills sit between any two async calls: grouping on them would only
 * split issues by build setup (Sentry's built-in `-app -group` rules).
 */
const JS_HELPER_MODULES = /^(@babel\/|core-js\/|tslib\/|regenerator-runtime\/)/;

const LOW_QUALITY_JS_PATHS = new Set(['[native code]', 'native code', 'eval code', '<anonymous>']);

function named(id: string, name: NormalizedName): GroupingComponent {
  return leaf(id, name.value, name.contributes, name.hint);
}

// Keyed by family, whether the frame's path is a URL (both change the result) and the name.
const moduleNames = new StringMemo<NormalizedName>();
const fileNames = new StringMemo<NormalizedName>();
const functionNames = new StringMemo<NormalizedName | undefined>();

function moduleComponent(frame: StackFrame, family: PlatformFamily): GroupingComponent | undefined {
  const module = frame.module;
  if (module !== undefined && module !== '') {
    const absPath = frame.abs_path;
    const key = `${family}\u0000${isUrl(absPath) ? absPath : ''}\u0000${module}`;
    return named('module', moduleNames.get(key, () => normalizeModule(module, family, absPath)));
  }
  if (family === 'javascript' && isUrl(frame.abs_path)) {
    const derived = moduleFromUrl(frame.abs_path ?? '');
    if (derived !== undefined) return leaf('module', derived, true, 'derived from the script URL path');
  }
  return undefined;
}

function filenameComponent(frame: StackFrame, family: PlatformFamily): GroupingComponent | undefined {
  const source = frame.filename ?? frame.abs_path;
  if (source === undefined || source === '') return undefined;
  const absPath = frame.abs_path;
  const key = `${family}\u0000${isUrl(absPath) ? 'u' : ''}\u0000${source}`;
  return named('filename', fileNames.get(key, () => normalizeFilename(source, family, absPath)));
}

function functionComponent(frame: StackFrame, family: PlatformFamily): GroupingComponent | undefined {
  const name = frame.function;
  if (name === undefined) return undefined;
  const normalized = functionNames.get(`${family}\u0000${name}`, () => normalizeFunctionName(name, family));
  return normalized ? named('function', normalized) : undefined;
}

function contextLineComponent(frame: StackFrame, platform: string): GroupingComponent | undefined {
  if (!usesContextLines(platform) || frame.context_line === undefined) return undefined;
  const line = frame.context_line.split(/\s+/).filter((part) => part !== '').join(' ');
  if (line === '') return undefined;
  if (frame.context_line.length > MAX_CONTEXT_LINE) return leaf('context-line', line, false, 'discarded because line too long');
  // Browser source lines are only trustworthy when fetched from the served script.
  if (platform === 'javascript' && !isUrl(frame.abs_path)) {
    return leaf('context-line', line, false, 'discarded because source is not from a URL');
  }
  return leaf('context-line', line, true);
}

function isLowQualityJavascriptFrame(frame: StackFrame, functionName: GroupingComponent | undefined): boolean {
  const path = frame.abs_path ?? frame.filename ?? '';
  if (LOW_QUALITY_JS_PATHS.has(path)) return true;
  return functionName?.values[0] === 'eval';
}

/** What a frame contributes before a variant decides about in-app: the same for both variants. */
interface FrameFacts {
  children: GroupingComponent[];
  kind: 'helper' | 'low-quality' | 'in-app' | 'library';
}

/**
 * Both variants look at every frame: within one grouping its facts are worked out once. Scoped
 * to a call rather than kept in a WeakMap, which held them (and promoted them to the old
 * generation) until the next full GC: 30 MB more peak RSS under load.
 */
let factsOfFrame: Map<StackFrame, FrameFacts> | undefined;

/** Runs one grouping (synchronous) with frame facts shared between its variants. */
export function withSharedFrameFacts<T>(group: () => T): T {
  const outer = factsOfFrame;
  factsOfFrame = new Map();
  try {
    return group();
  } finally {
    factsOfFrame = outer;
  }
}

function frameFacts(sent: StackFrame, eventPlatform: string): FrameFacts {
  const known = factsOfFrame?.get(sent);
  if (known) return known;
  // Browser SDKs put the script URL in `filename` and leave `abs_path` out; the URL is the absolute path.
  const frame = sent.abs_path === undefined && isUrl(sent.filename) ? { ...sent, abs_path: sent.filename } : sent;
  const platform = frame.platform ?? eventPlatform;
  const family = platformFamily(platform);
  const children: GroupingComponent[] = [];

  const module = moduleComponent(frame, family);
  if (module) children.push(module);

  const filename = filenameComponent(frame, family);
  if (filename) {
    if (module?.contributes && filename.contributes) {
      children.push({ ...filename, contributes: false, hint: 'module takes precedence' });
    } else children.push(filename);
  }

  const functionName = functionComponent(frame, family);
  if (functionName) children.push(functionName);

  const contextLine = contextLineComponent(frame, platform);
  if (contextLine) children.push(contextLine);

  if (frame.lineno !== undefined) children.push(leaf('lineno', String(frame.lineno), false, 'line numbers are never used'));

  const kind =
    family === 'javascript' && JS_HELPER_MODULES.test(frame.module ?? '')
      ? 'helper'
      : family === 'javascript' && isLowQualityJavascriptFrame(frame, functionName)
        ? 'low-quality'
        : isInApp(frame, eventPlatform)
          ? 'in-app'
          : 'library';
  const facts: FrameFacts = { children, kind };
  factsOfFrame?.set(sent, facts);
  return facts;
}

export function frameComponent(frame: StackFrame, eventPlatform: string, variant: VariantKind): GroupingComponent {
  const { children, kind } = frameFacts(frame, eventPlatform);
  const component = branch('frame', children);
  if (kind === 'helper') {
    exclude(component, variant === 'app' ? 'non app frame (transpiler helper or polyfill)' : 'ignored: transpiler helper or polyfill');
  } else if (kind === 'low-quality') {
    exclude(component, 'ignored low quality javascript frame');
  } else if (variant === 'app' && kind === 'library') {
    exclude(component, 'non app frame');
  } else if (!component.contributes && children.length > 0) {
    component.hint ??= 'nothing in this frame can be grouped on';
  }
  return component;
}
