/** The shell actions the renderer may ask for (`window.stacktray`), implemented over the platform. */
import type { OpenInEditorRequest, OpenInEditorResult } from '../sources/open-in-editor';
import type { ShellPlatform, ShellRequestHandlers } from './platform';

export interface ShellRequestDeps {
  platform: Pick<ShellPlatform, 'version' | 'openPath'>;
  dataDir: string;
  /**
   * The core's editor opener: the allowed source folders and the configured editor only. The OS
   * default handler is never used for a frame's file (it runs scripts and programs).
   */
  openInEditor: (request: OpenInEditorRequest) => Promise<OpenInEditorResult>;
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
      if (typeof path !== 'string' || path === '') return false;
      const result = await deps.openInEditor({ path, line: positiveInt(line), column: positiveInt(column) });
      return result.status === 204;
    },
  };
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
