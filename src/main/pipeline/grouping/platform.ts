/** Platform families: grouping rules differ by language, not by SDK. */
export type PlatformFamily = 'javascript' | 'python' | 'java' | 'ruby' | 'go' | 'csharp' | 'php' | 'native' | 'other';

const FAMILIES: Record<string, PlatformFamily> = {
  javascript: 'javascript',
  node: 'javascript',
  python: 'python',
  java: 'java',
  kotlin: 'java',
  scala: 'java',
  groovy: 'java',
  clojure: 'java',
  android: 'java',
  ruby: 'ruby',
  go: 'go',
  csharp: 'csharp',
  dotnet: 'csharp',
  php: 'php',
  native: 'native',
  c: 'native',
  cocoa: 'native',
  objc: 'native',
  swift: 'native',
  rust: 'native',
  elixir: 'other',
  dart: 'other',
};

export function platformFamily(platform: string | undefined): PlatformFamily {
  return (platform && FAMILIES[platform.toLowerCase()]) || 'other';
}

/** Platforms whose source lines are trustworthy enough to group on (Sentry's list). */
export function usesContextLines(platform: string | undefined): boolean {
  const name = (platform ?? '').toLowerCase();
  return name === 'javascript' || name === 'node' || name === 'python' || name === 'php' || name === 'ruby';
}
