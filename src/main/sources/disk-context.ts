/**
 * Source lines read from disk for frames that arrived without them (OTLP stack strings, Go,
 * Java, SDKs with context off, maps without sourcesContent): added when an event is viewed, never
 * stored, and marked so nothing passes them off as sent by the SDK. Only files inside the allowed
 * folders are read (the one SourceReader), small text files only; the reader caches them.
 */
import type { SentryEvent, StackFrame } from '../../shared/event';
import { contextAround } from '../pipeline/symbolicate/context-lines';
import { frameFile } from '../pipeline/symbolicate';
import type { SourceReader } from './source-reader';

const MAX_CONTEXT_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILES_PER_EVENT = 64;

export async function withDiskContext(event: SentryEvent, reader: SourceReader): Promise<SentryEvent> {
  const stacks = [
    ...(event.exception?.values ?? []).map((value) => value.stacktrace),
    ...(event.threads?.values ?? []).map((thread) => thread.stacktrace),
  ];
  const wanted = new Set<string>();
  for (const stack of stacks) {
    for (const frame of stack?.frames ?? []) {
      const file = localFile(frame);
      if (file !== undefined && wanted.size < MAX_FILES_PER_EVENT) wanted.add(file);
    }
  }
  if (wanted.size === 0) return event;
  const texts = new Map<string, { lines: string[]; changed: boolean }>();
  await Promise.all(
    [...wanted].map(async (file) => {
      const read = await reader.read(file, MAX_CONTEXT_FILE_BYTES);
      if (read.ok) texts.set(file, { lines: read.text.split(/\r?\n/), changed: read.mtimeMs / 1000 > event.timestamp });
    }),
  );
  if (texts.size === 0) return event;
  const withContext = (frame: StackFrame): StackFrame => {
    const file = localFile(frame);
    const text = file === undefined ? undefined : texts.get(file);
    if (!text || frame.lineno === undefined) return frame;
    const context = contextAround(text.lines, frame.lineno);
    if (!context) return frame;
    return { ...frame, ...context, data: { ...frame.data, context_from_disk: true, ...(text.changed ? { source_changed_after_event: true } : {}) } };
  };
  const copy: SentryEvent = { ...event };
  if (event.exception) {
    copy.exception = {
      values: event.exception.values.map((value) =>
        value.stacktrace ? { ...value, stacktrace: { ...value.stacktrace, frames: value.stacktrace.frames.map(withContext) } } : value,
      ),
    };
  }
  if (event.threads) {
    copy.threads = {
      values: event.threads.values.map((thread) =>
        thread.stacktrace ? { ...thread, stacktrace: { ...thread.stacktrace, frames: thread.stacktrace.frames.map(withContext) } } : thread,
      ),
    };
  }
  return copy;
}

/** A frame without source lines whose file is an absolute local path (not a URL). */
function localFile(frame: StackFrame): string | undefined {
  if (frame.context_line !== undefined || frame.lineno === undefined) return undefined;
  const file = frameFile(frame);
  if (file === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(file) || file.startsWith('node:')) return undefined;
  return file;
}
