import type { ServerInfo } from '../../shared/api';
import type { SentryEvent } from '../../shared/event';
import type { GroupingResult } from '../../shared/grouping';
import type { IngestSink } from '../ingest/ingest-sink';
import type { Store } from '../store';
import type { LiveHub } from '../core/live-hub';
import type { SettingsFile } from '../core/settings-file';
import type { Refusal } from '../../shared/refusal';
import type { EditorOpener } from '../sources/open-in-editor';
import type { SourceReader } from '../sources/source-reader';
import type { ArtifactBundleStore } from '../store/artifact-bundles';

/** What the HTTP API plugins need from the core. */
export interface ApiDeps {
  store: Store;
  hub: LiveHub;
  settings: SettingsFile;
  /** Imported events go through the same pipeline as ingested ones. */
  ingest: IngestSink;
  /** Re-derives the normalized event from a stored payload. */
  normalizeStored: (payloadJson: string, received: number, eventId: string) => SentryEvent;
  /** Grouping of a stored event with the project's current rules (the "why grouped" panel). */
  group: (event: SentryEvent, projectId: number) => GroupingResult;
  /** Project keys or rules changed: drop cached copies. */
  projectsChanged: () => void;
  info: () => ServerInfo;
  /** Refused ingest requests of the last 24 hours (core/refusal-tracker.ts). */
  refusals: { list(): Refusal[]; forgetProject(projectId: number): void };
  /** Local source files: context from disk and the editor, both confined to the allowed folders. */
  sources: { reader: SourceReader; editor: EditorOpener };
  /** Source maps uploaded with sentry-cli. */
  bundles: ArtifactBundleStore;
}

export const errorSchema = {
  type: 'object',
  properties: { detail: { type: 'string' } },
  required: ['detail'],
} as const;

export const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
