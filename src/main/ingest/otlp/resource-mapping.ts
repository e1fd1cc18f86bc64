/** Where OTel resource attributes go in a Sentry event (semantic conventions → Sentry fields). */
import type { AttributeValue, Attributes } from './otlp-types';

export const UNKNOWN_SERVICE = 'unknown_service';

/** Keys that map to dedicated event fields rather than tags. */
const MAPPED_RESOURCE_KEYS = new Set([
  'service.name', 'service.version', 'deployment.environment', 'deployment.environment.name',
  'telemetry.sdk.name', 'telemetry.sdk.language', 'telemetry.sdk.version', 'host.name',
]);

export function stringAttribute(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function serviceName(resource: Attributes): string {
  return stringAttribute(resource, 'service.name') ?? UNKNOWN_SERVICE;
}

export function environment(resource: Attributes): string | undefined {
  return stringAttribute(resource, 'deployment.environment.name') ?? stringAttribute(resource, 'deployment.environment');
}

export function sdk(resource: Attributes): { name: string; version: string } | undefined {
  const name = stringAttribute(resource, 'telemetry.sdk.name');
  if (!name) return undefined;
  const language = stringAttribute(resource, 'telemetry.sdk.language');
  return { name: language ? `${name}.${language}` : name, version: stringAttribute(resource, 'telemetry.sdk.version') ?? 'unknown' };
}

/** telemetry.sdk.language values (and process.runtime.name values) → Sentry platforms. */
const PLATFORM_BY_LANGUAGE: Record<string, string> = {
  nodejs: 'node', node: 'node', webjs: 'javascript', python: 'python', cpython: 'python', pypy: 'python',
  java: 'java', kotlin: 'java', go: 'go', gc: 'go', dotnet: 'csharp', '.net': 'csharp', ruby: 'ruby',
  php: 'php', erlang: 'elixir', elixir: 'elixir', cpp: 'native', rust: 'native', swift: 'cocoa',
};

const PLATFORM_BY_STACK: Record<string, string> = {
  node: 'node', python: 'python', java: 'java', go: 'go', dotnet: 'csharp', ruby: 'ruby',
};

export function platform(resource: Attributes, stackRuntime: string | undefined): string {
  for (const key of ['telemetry.sdk.language', 'process.runtime.name']) {
    const value = stringAttribute(resource, key)?.toLowerCase();
    if (!value) continue;
    const mapped = PLATFORM_BY_LANGUAGE[value] ?? (value.includes('java') || value.includes('jdk') ? 'java' : value.includes('.net') ? 'csharp' : undefined);
    if (mapped) return mapped;
  }
  return (stackRuntime && PLATFORM_BY_STACK[stackRuntime]) ?? 'other';
}

/** Sentry's tag limits: keys up to 32 characters, values up to 200, one line. */
const MAX_TAG_KEY = 32;
const MAX_TAG_VALUE = 200;

/** Scalar attributes short enough to be tags, resource ones first; everything stays in contexts.otel. */
export function tagsFrom(resource: Attributes, attributes: Attributes): [string, string][] {
  const tags = new Map<string, string>();
  const add = (key: string, value: AttributeValue): void => {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
    const text = String(value);
    if (key.length > MAX_TAG_KEY || text === '' || text.length > MAX_TAG_VALUE || /[\r\n]/.test(text)) return;
    tags.set(key, text);
  };
  for (const [key, value] of Object.entries(resource)) if (!MAPPED_RESOURCE_KEYS.has(key)) add(key, value);
  for (const [key, value] of Object.entries(attributes)) add(key, value);
  return [...tags];
}

/** contexts.runtime / contexts.os from the process.* and os.* conventions, when present. */
export function runtimeContexts(resource: Attributes): Record<string, Record<string, unknown>> {
  const contexts: Record<string, Record<string, unknown>> = {};
  const runtimeName = stringAttribute(resource, 'process.runtime.name');
  if (runtimeName) {
    contexts['runtime'] = { type: 'runtime', name: runtimeName, version: stringAttribute(resource, 'process.runtime.version') };
  }
  const osType = stringAttribute(resource, 'os.type') ?? stringAttribute(resource, 'os.name');
  if (osType) contexts['os'] = { type: 'os', name: osType, version: stringAttribute(resource, 'os.version') };
  return contexts;
}
