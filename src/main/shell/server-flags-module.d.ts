/**
 * Types for scripts/bench/server-flags.mjs, the one list of V8 flags the headless server runs with;
 * the desktop main process imports the same list (see v8-flags.ts), so it is typed here.
 */
declare module '*/scripts/bench/server-flags.mjs' {
  export const SERVER_NODE_FLAGS: readonly string[];
  export const SERVER_ENV: Readonly<Record<string, string>>;
  export function serverEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  export function serverNodeOptions(cores?: number, v8Version?: string): string[];
  export function serverProcessFlags(flags: readonly string[], cores?: number, v8Version?: string): string[];
}
