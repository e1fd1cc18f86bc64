/**
 * Opens a file from a stack frame in the user's editor: shared by `POST /api/open-in-editor` and
 * the desktop app (its renderer bridge and notification action). Event data names the path, so:
 * the file must be inside the allowed source folders, and when the caller names the event, it
 * must be one of that event's frames. Only the configured editor is started, never the OS's
 * default handler (which runs scripts and programs: a `.js` goes to Windows Script Host).
 */
import { configuredEditor, editorCommand } from './editor-command';
import { launch, spawnPlan } from './editor-launch';
import type { SourceReader } from './source-reader';

export interface OpenInEditorRequest {
  path: string;
  line?: number | undefined;
  column?: number | undefined;
  /** The event whose frame this is; when given, the path must be one of its frames' files. */
  eventId?: string | undefined;
}

export type OpenInEditorResult = { status: 204 } | { status: 403 | 404 | 409 | 500; reason: string };

export interface EditorOpenerDeps {
  reader: SourceReader;
  /** The `editor` setting ("" = from the environment). */
  editorSetting: () => string;
  env: NodeJS.ProcessEnv;
  /** The files of an event's frames (resolved and as sent); null when there is no such event. */
  frameFiles: (eventId: string) => Set<string> | null;
  platform?: NodeJS.Platform;
}

export class EditorOpener {
  constructor(private readonly deps: EditorOpenerDeps) {}

  async open(request: OpenInEditorRequest): Promise<OpenInEditorResult> {
    if (request.eventId !== undefined) {
      const files = this.deps.frameFiles(request.eventId);
      if (files === null) return { status: 404, reason: `event ${request.eventId} does not exist` };
      if (!files.has(request.path)) return { status: 403, reason: `${request.path} is not a file of event ${request.eventId}'s frames` };
    }
    const located = await this.deps.reader.locate(request.path);
    if (!located.ok) return { status: located.missing ? 404 : 403, reason: located.reason };
    const editor = this.deps.editorSetting().trim() || configuredEditor(this.deps.env);
    if (editor === undefined) return { status: 409, reason: 'no editor is set: choose one in Settings → Editor (or set STACKTRAY_EDITOR)' };
    const command = editorCommand(editor, { path: located.realPath, line: positive(request.line), column: positive(request.column) });
    if (command === null) return { status: 409, reason: `${editor} runs in a terminal: choose a GUI editor in Settings → Editor` };
    const plan = spawnPlan(command, this.deps.platform ?? process.platform);
    if (!plan.ok) return { status: 403, reason: plan.reason };
    const started = await launch(plan);
    return started.ok ? { status: 204 } : { status: 500, reason: started.reason };
  }
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}
