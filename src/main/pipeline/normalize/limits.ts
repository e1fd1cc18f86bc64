/** Size limits the normalizer enforces, modelled on relay's (in code points, items or levels). */
export const NORMALIZE_LIMITS = {
  message: 8192,
  tagKey: 200,
  tagValue: 200,
  logger: 64,
  environment: 64,
  dist: 64,
  release: 200,
  transaction: 200,
  culprit: 200,
  serverName: 256,
  /** Short identifiers: exception types, function names, paths. */
  symbol: 256,
  path: 1024,
  /** Strings inside free-form data (extra, contexts, vars, breadcrumb data). */
  dataString: 8192,
  /** Objects and arrays nested deeper than this inside free-form data are removed. */
  dataDepth: 10,
  /**
   * Deepest nesting kept in the stored payload (the raw JSON the API returns). relay's JSON reader
   * stops at 128 levels; Stacktray keeps such an event but cuts its stored copy there, since
   * JSON.stringify recurses and overflows the stack a few thousand levels down.
   */
  payloadDepth: 128,
  /** Longest stack kept: the oldest and newest halves survive, the middle is dropped. */
  frames: 250,
  /** Breadcrumbs kept: the most recent ones. */
  breadcrumbs: 100,
  exceptions: 100,
  threads: 200,
} as const;
