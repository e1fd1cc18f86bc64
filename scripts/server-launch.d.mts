// Types for server-launch.mjs (imported by test/build/server-launch.test.ts).
import type { ChildProcess, StdioOptions } from 'node:child_process';

export const SERVER_NODE_FLAGS: readonly string[];
export const ROOT: string;
export const CLI_BUNDLE: string;
export function bundleIsStale(): boolean;
export function ensureBuilt(options?: { quiet?: boolean }): boolean;
export function requireBuilt(): void;
export function spawnServer(options: { nodeFlags: readonly string[]; cliArgs?: readonly string[]; stdio: StdioOptions; detached?: boolean }): ChildProcess;
