/** What the grouping step decides for one event, and why (shown in the "why grouped" panel). */

export interface GroupingComponent {
  /** e.g. "exception", "stacktrace", "frame", "function", "filename", "type", "value", "message". */
  id: string;
  name?: string;
  contributes: boolean;
  /** Why it does or does not contribute, e.g. "ignored: not in-app", "line numbers are never used". */
  hint?: string;
  values: (GroupingComponent | string)[];
}

export interface GroupingVariant {
  /** "custom-fingerprint", "app", "system", "default", "fallback"… */
  key: string;
  description: string;
  /** MD5 hex over the contributing values, or null when the variant contributes nothing. */
  hash: string | null;
  contributes: boolean;
  component?: GroupingComponent;
  /** For fingerprint variants: the resolved fingerprint values. */
  values?: string[];
  hint?: string;
}

export interface IssueMetadata {
  type?: string;
  value?: string;
  filename?: string;
  function?: string;
  /**
   * The culprit frame's line and its source: issues thrown from two lines of one function share
   * title and culprit (the line contributes to grouping), and the list tells them apart by these.
   */
  lineno?: number;
  contextLine?: string;
  /** Message events: the (unparameterized) message shown as title. */
  message?: string;
}

export interface GroupingResult {
  /** The grouping configuration that produced `hashes`; stored with each issue hash. */
  config: string;
  /** Contributing hashes, the preferred one first: an issue matches when it owns any of them. */
  hashes: string[];
  variants: GroupingVariant[];
  title: string;
  culprit: string;
  metadata: IssueMetadata;
}
