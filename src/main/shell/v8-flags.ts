/**
 * The headless server's V8 flags (scripts/bench/server-flags.mjs: a 4 MB young generation keeps RSS
 * ~25 MB lower) for the Electron main process, which runs the same core. V8 sizes its heap when the
 * process starts: Electron reads `--js-flags` for the main process only from the command line it was
 * started with (`app.commandLine.appendSwitch('js-flags')` reaches renderers only), and
 * `v8.setFlagsFromString` after start-up leaves the young generation as it is. So a packaged app that
 * was started without them starts itself again once, with them. Pure: the platform supplies the facts.
 */
import { SERVER_NODE_FLAGS } from '../../../scripts/bench/server-flags.mjs';

/** V8 flags the main process must start with (the server's own list, not a copy). */
export const MAIN_PROCESS_V8_FLAGS: readonly string[] = SERVER_NODE_FLAGS;

/** Marks the one relaunch, so a platform that hides the switch from us cannot make a relaunch loop. */
export const RELAUNCHED_FLAG = '--stacktray-relaunched';

export interface StartupFacts {
  isPackaged: boolean;
  /** False where a relaunch may not come back (an AppImage): that app runs without the flags instead. */
  canRelaunch: boolean;
  /** The arguments after the executable, as `app.relaunch` would repeat them. */
  launchArgs: readonly string[];
  /** The `--js-flags` value this process was started with ("" when none). */
  startupJsFlags: string;
}

/** `--js-flags=…` carrying `flags` (one switch; V8 splits its value on spaces). */
export function jsFlagsSwitch(flags: readonly string[]): string {
  return `--js-flags=${flags.join(' ')}`;
}

/** The wanted flags the process did not start with; a flag the user set to another value counts as set. */
export function missingV8Flags(startupJsFlags: string, wanted: readonly string[] = MAIN_PROCESS_V8_FLAGS): string[] {
  const present = new Set(splitFlags(startupJsFlags).map(flagName));
  return wanted.filter((flag) => !present.has(flagName(flag)));
}

/**
 * The arguments to start again with, or null to carry on. Development runs are never relaunched:
 * `electron-vite dev` owns the Electron process and would stop with it. Nor is an AppImage: its
 * runtime unmounts the image when this process exits, under the relauncher that would start it again.
 */
export function relaunchArgsForV8Flags(facts: StartupFacts, wanted: readonly string[] = MAIN_PROCESS_V8_FLAGS): string[] | null {
  if (!facts.isPackaged || !facts.canRelaunch || facts.launchArgs.includes(RELAUNCHED_FLAG)) return null;
  const missing = missingV8Flags(facts.startupJsFlags, wanted);
  if (missing.length === 0) return null;
  const others = facts.launchArgs.filter((arg) => !arg.startsWith('--js-flags='));
  // Switches first: Chromium stops reading switches after a bare `--`.
  return [jsFlagsSwitch([...splitFlags(facts.startupJsFlags), ...missing]), RELAUNCHED_FLAG, ...others];
}

function splitFlags(value: string): string[] {
  return value.split(/\s+/).filter((flag) => flag !== '');
}

/** V8 reads `--max_semi_space_size` and `--max-semi-space-size` alike. */
function flagName(flag: string): string {
  return flag.replace(/^--?/, '').split('=')[0]?.replace(/_/g, '-') ?? '';
}
