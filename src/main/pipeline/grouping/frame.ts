import type { StackFrame } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, exclude, leaf } from './components';
import { normalizeFunctionName, type NormalizedName } from './function-name';
import { isInApp } from './in-app';
import { isUrl, moduleFromUrl, normalizeFilename, normalizeModule } from './paths';
import { platformFamily, usesContextLines } from './platform';

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

function moduleComponent(frame: StackFrame, platform: string): GroupingComponent | undefined {
  const family = platformFamily(platform);
  if (frame.module !== undefined && frame.module !== '') {
    return named('module', normalizeModule(frame.module, family, frame.abs_path));
  }
  if (family === 'javascript' && isUrl(frame.abs_path)) {
    const derived = moduleFromUrl(frame.abs_path ?? '');
    if (derived !== undefined) return leaf('module', derived, true, 'derived from the script URL path');
  }
  return undefined;
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

export function frameComponent(sent: StackFrame, eventPlatform: string, variant: VariantKind): GroupingComponent {
  // Browser SDKs put the script URL in `filename` and leave `abs_path` out; the URL is the absolute path.
  const frame = sent.abs_path === undefined && isUrl(sent.filename) ? { ...sent, abs_path: sent.filename } : sent;
  const platform = frame.platform ?? eventPlatform;
  const family = platformFamily(platform);
  const children: GroupingComponent[] = [];

  const module = moduleComponent(frame, platform);
  if (module) children.push(module);

  const filenameSource = frame.filename ?? frame.abs_path;
  if (filenameSource !== undefined && filenameSource !== '') {
    const filename = named('filename', normalizeFilename(filenameSource, family, frame.abs_path));
    if (module?.contributes && filename.contributes) exclude(filename, 'module takes precedence');
    children.push(filename);
  }

  const normalizedFunction = normalizeFunctionName(frame.function, family);
  const functionName = normalizedFunction ? named('function', normalizedFunction) : undefined;
  if (functionName) children.push(functionName);

  const contextLine = contextLineComponent(frame, platform);
  if (contextLine) children.push(contextLine);

  if (frame.lineno !== undefined) children.push(leaf('lineno', String(frame.lineno), false, 'line numbers are never used'));

  const component = branch('frame', children);
  if (family === 'javascript' && JS_HELPER_MODULES.test(frame.module ?? '')) {
    exclude(component, variant === 'app' ? 'non app frame (transpiler helper or polyfill)' : 'ignored: transpiler helper or polyfill');
  } else if (family === 'javascript' && isLowQualityJavascriptFrame(frame, functionName)) {
    exclude(component, 'ignored low quality javascript frame');
  } else if (variant === 'app' && !isInApp(frame, eventPlatform)) {
    exclude(component, 'non app frame');
  } else if (!component.contributes && children.length > 0) {
    component.hint ??= 'nothing in this frame can be grouped on';
  }
  return component;
}
