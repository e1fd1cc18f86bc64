/**
 * Releases from git, a pipeline step before grouping and lifecycle: an event sent without a
 * `release` gets the commit checked out in the git repository holding its in-app frames' files
 * (the full SHA, as `sentry-cli releases propose-version` gives it), tagged `git.branch` and
 * `git.dirty`. The checkout comes from a cached reader at the edge (src/main/sources/git-reader),
 * so an event costs map lookups; only an event naming a folder not seen before waits for it.
 *
 * The stored payload gets the release and tags too, so the event reads the same later; what is
 * forwarded upstream is the envelope as sent (src/main/forwarding), without them.
 */
import type { SentryEvent, Stacktrace, TagPairs } from '../../shared/event';
import type { IncomingEvent } from '../ingest/ingest-sink';
import { localFilePath } from './symbolicate/candidates';

export interface GitFacts {
  sha: string;
  branch: string | null;
  dirty: boolean | null;
}

export interface GitLookup {
  /** From the cache: the checkout holding the file, null when none, undefined when not yet known. */
  cached(file: string): GitFacts | null | undefined;
  /** Makes `cached(file)` known; never rejects. */
  lookup(file: string): Promise<void>;
}

/** A hostile event could name thousands of folders: only this many are looked up per event. */
const MAX_PATHS_PER_EVENT = 8;

export class GitReleaseStep {
  constructor(private readonly git: GitLookup) {}

  /** Derives what it can now; returns a promise when some folders must be looked up first. */
  apply(events: readonly IncomingEvent[]): Promise<void> | undefined {
    let lookups: Promise<void>[] | undefined;
    for (const incoming of events) {
      if (incoming.event.release) continue;
      const missing = this.derive(incoming);
      if (missing.length > 0) (lookups ??= []).push(...missing.map((file) => this.git.lookup(file)));
    }
    if (!lookups) return undefined;
    return Promise.all(lookups).then(() => {
      for (const incoming of events) if (!incoming.event.release) this.derive(incoming);
    });
  }

  /** Sets the release from the first in-app file (newest frame first) in a repository; returns the files not yet known. */
  private derive(incoming: IncomingEvent): string[] {
    const missing: string[] = [];
    for (const file of inAppFiles(incoming.event)) {
      const facts = this.git.cached(file);
      if (facts === undefined) missing.push(file);
      else if (facts !== null) {
        // A file looked up earlier wins only if every newer frame's file is known not to be in a repository.
        if (missing.length === 0) withGitRelease(incoming, facts);
        return missing;
      }
    }
    return missing;
  }
}

/** Sets the event's release and git tags, and writes them into its stored payload. */
export function withGitRelease(incoming: IncomingEvent, facts: GitFacts): void {
  const { event } = incoming;
  const tags: TagPairs = (event.tags ?? []).filter(([key]) => key !== 'git.branch' && key !== 'git.dirty');
  if (facts.branch !== null) tags.push(['git.branch', facts.branch]);
  if (facts.dirty !== null) tags.push(['git.dirty', String(facts.dirty)]);
  event.release = facts.sha;
  event.tags = tags;
  incoming.payload = withMembers(incoming.payload, { release: facts.sha, tags });
}

/**
 * The payload's JSON object with members appended: a later member wins when JSON is parsed, so
 * this overrides without re-serializing the whole event. Unchanged if it is not an object.
 */
export function withMembers(payload: string, members: Record<string, unknown>): string {
  // Scans from both ends only: the payload may be large, and this runs per event.
  const start = skipWhitespace(payload, 0, 1);
  const end = skipWhitespace(payload, payload.length - 1, -1);
  if (start >= end || payload[start] !== '{' || payload[end] !== '}') return payload;
  const empty = skipWhitespace(payload, start + 1, 1) === end;
  const added = Object.entries(members).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',');
  return `${payload.slice(0, end)}${empty ? '' : ','}${added}${payload.slice(end)}`;
}

function skipWhitespace(text: string, from: number, step: 1 | -1): number {
  let at = from;
  while (at >= 0 && at < text.length && /\s/.test(text.charAt(at))) at += step;
  return at;
}

/**
 * Local files of in-app frames, newest frame (where it failed) first, one per folder. Source
 * maps run first: a resolved frame names the original source, which is what the repository
 * holds; the frames as sent (the bundle) come last, for maps whose sources are not local paths.
 */
export function inAppFiles(event: SentryEvent): string[] {
  const stacks: Stacktrace[] = [];
  const exceptions = event.exception?.values ?? [];
  for (let i = exceptions.length - 1; i >= 0; i--) {
    const stacktrace = exceptions[i]?.stacktrace;
    if (stacktrace) stacks.push(stacktrace);
  }
  for (const thread of event.threads?.values ?? []) if (thread.stacktrace) stacks.push(thread.stacktrace);
  for (let i = exceptions.length - 1; i >= 0; i--) {
    const sent = exceptions[i]?.raw_stacktrace;
    if (sent) stacks.push(sent);
  }
  const files: string[] = [];
  const folders = new Set<string>();
  for (const stack of stacks) {
    const frames = stack.frames ?? [];
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame?.in_app !== true) continue;
      const file = localFilePath(frame.abs_path ?? frame.filename);
      if (file === null) continue;
      const folder = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')));
      if (folders.has(folder)) continue;
      folders.add(folder);
      files.push(file);
      if (files.length >= MAX_PATHS_PER_EVENT) return files;
    }
  }
  return files;
}
