/** The shell actions the renderer may ask for (`window.stacktray`), implemented over the platform. */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { configuredEditor, editorCommand } from './editor-command';
import type { ShellPlatform, ShellRequestHandlers } from './platform';

export interface ShellRequestDeps {
  platform: Pick<ShellPlatform, 'version' | 'openPath' | 'spawnDetached'>;
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

export function shellRequestHandlers(deps: ShellRequestDeps): ShellRequestHandlers {
  return {
    async revealDataFolder() {
      const error = await deps.platform.openPath(deps.dataDir);
      if (error !== '') throw new Error(`could not open ${deps.dataDir}: ${error}`);
    },
    async appVersion() {
      return deps.platform.version;
    },
    async openInEditor(path, line, column) {
      if (!(await isLocalFile(path))) return false;
      const position = { path, line: positiveInt(line), column: positiveInt(column) };
      const editor = configuredEditor(deps.env);
      const command = editor === undefined ? null : editorCommand(editor, position);
      if (command !== null && (await deps.platform.spawnDetached(command.command, command.args))) return true;
      return (await deps.platform.openPath(path)) === '';
    },
  };
}

/** Frames carry URLs (`app:///…`, `webpack://…`) as often as paths: only an existing local file opens. */
async function isLocalFile(path: unknown): Promise<boolean> {
  if (typeof path !== 'string' || !isAbsolute(path)) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
