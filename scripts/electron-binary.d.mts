// Types for electron-binary.mjs (imported by the smoke test's unit tests).
export function electronPackageDir(): string | null;
export function electronExecutable(env?: NodeJS.ProcessEnv, electronDir?: string | null): string | null;
export function missingElectron(env?: NodeJS.ProcessEnv, electronDir?: string | null): string | null;
