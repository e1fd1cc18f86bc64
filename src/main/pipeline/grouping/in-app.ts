import type { StackFrame } from '../../../shared/event';
import { platformFamily } from './platform';

/** Paths that hold installed libraries or the language runtime, never the developer's own code. */
const LIBRARY_PATHS: readonly RegExp[] = [
  /(^|[\\/])node_modules[\\/]/,
  /^node:/,
  /^internal[\\/]/, // node < 16 core modules
  /(^|[\\/])(site|dist)-packages[\\/]/,
  /^\/usr\/(local\/)?lib\//,
  /^\/usr\/share\//,
  /[\\/]lib[\\/]python\d(\.\d+)?[\\/]/,
  /^<frozen /,
  /[\\/]go[\\/]pkg[\\/]mod[\\/]/,
  /^\/usr\/(local\/)?go\/src\//,
  /[\\/]gems[\\/]/,
  /[\\/]rubygems[\\/]/,
  /^<internal:/,
  /[\\/]vendor[\\/]/,
  /^\/?(webpack|vite)\/(bootstrap|runtime)/,
];

/** JVM, .NET and Go runtime modules: class/package prefixes of platform and common framework code. */
const LIBRARY_MODULES: Partial<Record<ReturnType<typeof platformFamily>, RegExp>> = {
  java: /^(java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|clojure|org\.springframework|org\.apache|org\.hibernate|org\.junit|io\.netty|com\.google|io\.sentry)\./,
  csharp: /^(System|Microsoft|Mono|Newtonsoft|Sentry)\./,
  go: /^(runtime|net\/http|reflect|syscall|internal\/|testing|github\.com\/getsentry\/sentry-go)(\/|$|\.)/,
  python: /^(sentry_sdk|importlib|concurrent|asyncio|threading|multiprocessing|runpy|logging)(\.|$)/,
};

/** In-app as the SDK said, or else guessed from where the code lives. */
export function isInApp(frame: StackFrame, eventPlatform: string): boolean {
  if (typeof frame.in_app === 'boolean') return frame.in_app;
  const path = frame.abs_path ?? frame.filename ?? '';
  if (path !== '' && LIBRARY_PATHS.some((pattern) => pattern.test(path))) return false;
  const family = platformFamily(frame.platform ?? eventPlatform);
  if (family === 'javascript' && /^(@babel\/|core-js\/|tslib\/|regenerator-runtime\/)/.test(frame.module ?? '')) return false;
  const modulePattern = LIBRARY_MODULES[family];
  if (modulePattern && frame.module && modulePattern.test(frame.module)) return false;
  if (family === 'go' && frame.module === undefined && frame.function?.startsWith('runtime.')) return false;
  return true;
}
