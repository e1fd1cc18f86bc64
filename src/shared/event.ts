/**
 * The normalized event: Sentry's event schema after normalization (the shape relay stores),
 * built from envelope events, legacy store events and OTLP exceptions alike. Field names keep
 * Sentry's snake_case so the raw JSON a developer sees matches Sentry's documentation.
 */

export type Level = 'fatal' | 'error' | 'warning' | 'info' | 'debug';

export interface StackFrame {
  filename?: string;
  abs_path?: string;
  module?: string;
  package?: string;
  function?: string;
  raw_function?: string;
  symbol?: string;
  lineno?: number;
  colno?: number;
  in_app?: boolean;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  vars?: Record<string, unknown>;
  platform?: string;
  instruction_addr?: string;
  /** How Stacktray processed the frame (Sentry keeps the same facts in a frame's `data`). */
  data?: FrameData;
}

/** How a frame was resolved, and where its source lines came from. */
export interface FrameData {
  /** The source map the frame was resolved with (a file path, URL or `debug-id:<id>`). */
  sourcemap?: string;
  /** How that map was found. */
  resolved_with?: SourceMapOrigin;
  /** Set when pre/context/post lines were read from the file on disk at view time, not sent by the SDK. */
  context_from_disk?: boolean;
  /** The file on disk was modified after the event happened: its lines may not be the ones that ran. */
  source_changed_after_event?: boolean;
}

export type SourceMapOrigin = 'debug-id' | 'release' | 'file' | 'dev-server';

/** A problem met while processing an event (Sentry's `errors`: "There were problems processing this event"). */
export interface ProcessingError {
  /** A short kind, e.g. "js_no_source", "js_invalid_source", "fetch_failed". */
  type: string;
  /** One line saying what went wrong. */
  message: string;
  /** The file or URL it concerns. */
  url?: string;
}

/** Sentry's `debug_meta.images[]`: for JavaScript, which source map (by debug ID) belongs to which file. */
export interface DebugImage {
  type: string;
  code_file?: string;
  debug_id?: string;
}

export interface Stacktrace {
  /** Oldest call first: the last frame is where the error was raised. */
  frames: StackFrame[];
  /**
   * As in Sentry's protocol: frames [start, end) of the stack as raised were left out (the stack
   * was too long to keep whole); `frames` holds those before start and from end on.
   */
  frames_omitted?: [number, number];
  registers?: Record<string, unknown>;
}

export interface Mechanism {
  type: string;
  handled?: boolean;
  synthetic?: boolean;
  description?: string;
  help_link?: string;
  source?: string;
  exception_id?: number;
  parent_id?: number;
  is_exception_group?: boolean;
  data?: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

export interface ExceptionValue {
  type?: string;
  value?: string;
  module?: string;
  thread_id?: number | string;
  mechanism?: Mechanism;
  stacktrace?: Stacktrace;
  raw_stacktrace?: Stacktrace;
}

export interface Thread {
  id?: number | string;
  name?: string;
  crashed?: boolean;
  current?: boolean;
  main?: boolean;
  state?: string;
  stacktrace?: Stacktrace;
}

export interface Breadcrumb {
  /** Seconds since the epoch (float). */
  timestamp?: number;
  type?: string;
  category?: string;
  level?: Level;
  message?: string;
  data?: Record<string, unknown>;
}

export interface User {
  id?: string;
  email?: string;
  username?: string;
  ip_address?: string;
  name?: string;
  segment?: string;
  geo?: Record<string, unknown>;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface RequestInfo {
  method?: string;
  url?: string;
  query_string?: string | [string, string][];
  data?: unknown;
  cookies?: string | [string, string][];
  headers?: [string, string][];
  env?: Record<string, unknown>;
  fragment?: string;
  inferred_content_type?: string;
  api_target?: string;
}

export interface LogEntry {
  message?: string;
  params?: unknown[] | Record<string, unknown>;
  formatted?: string;
}

export interface SdkInfo {
  name: string;
  version: string;
  integrations?: string[];
  packages?: { name: string; version: string }[];
}

export type Contexts = Record<string, Record<string, unknown>>;

/** Tags as relay normalizes them: ordered [key, value] pairs, values as strings. */
export type TagPairs = [string, string][];

export interface SentryEvent {
  event_id: string;
  /** Seconds since the epoch (float), when the error happened. */
  timestamp: number;
  /** Seconds since the epoch (float), when Stacktray received it. */
  received: number;
  platform: string;
  level: Level;
  logger?: string;
  transaction?: string;
  server_name?: string;
  release?: string;
  dist?: string;
  environment?: string;
  /** The formatted message (from `message` or `logentry.formatted`). */
  message?: string;
  logentry?: LogEntry;
  exception?: { values: ExceptionValue[] };
  threads?: { values: Thread[] };
  breadcrumbs?: { values: Breadcrumb[] };
  user?: User;
  request?: RequestInfo;
  contexts?: Contexts;
  tags?: TagPairs;
  extra?: Record<string, unknown>;
  fingerprint?: string[];
  sdk?: SdkInfo;
  modules?: Record<string, string>;
  culprit?: string;
  type?: string;
  debug_meta?: { images: DebugImage[] };
  /** Problems met while processing the event (source maps); the SDK never sends these. */
  errors?: ProcessingError[];
}

export interface AttachmentMeta {
  id: number;
  filename: string;
  contentType: string;
  attachmentType: string;
  size: number;
}
