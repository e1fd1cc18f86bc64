/**
 * Ingest requests the server refused (a wrong key, an unknown project, a rate limit…), counted
 * per project and reason over the last 24 hours: `GET /api/refusals` and the live stream.
 */

export type RefusalReason =
  | 'wrong-key'
  | 'missing-key'
  | 'disabled-key'
  | 'unknown-project'
  | 'rate-limited'
  | 'too-large'
  | 'malformed'
  /** Keyless ingest (`/stream`, OTLP `/v1/*`) from another machine or from a page served elsewhere. */
  | 'not-local';

export interface Refusal {
  /** null when the request named no project that exists (an unknown project or key). */
  projectId: number | null;
  /** The HTTP status the sender got (for OTLP partial success: the status the item would have had). */
  status: number;
  reason: RefusalReason;
  /** Events refused in the last 24 hours. */
  count: number;
  /** Of those, refused in the last hour. */
  countLastHour: number;
  firstAt: string;
  lastAt: string;
  /** The one-line reason of the latest refusal, as the sender got it. */
  detail: string;
}

export interface RefusalList {
  refusals: Refusal[];
}

/** What to tell the developer, after "N events refused … for <project>:". */
export function refusalAdvice(reason: RefusalReason): { problem: string; fix: string } {
  switch (reason) {
    case 'wrong-key':
      return { problem: "the key in the app's DSN is not this project's", fix: 'copy the DSN' };
    case 'missing-key':
      return { problem: 'the requests carried no key', fix: 'configure the SDK with the whole DSN' };
    case 'disabled-key':
      return { problem: "this project's key is disabled", fix: 'enable it in Projects' };
    case 'unknown-project':
      return { problem: "the app's DSN names a project or key that does not exist here", fix: "copy a project's DSN from Projects" };
    case 'rate-limited':
      return { problem: 'over the rate limit', fix: 'raise or turn off the limit in Settings' };
    case 'too-large':
      return { problem: 'the requests were larger than the ingest limits', fix: 'send smaller events or attachments' };
    case 'malformed':
      return { problem: 'the requests could not be read', fix: "check the SDK's debug log" };
    case 'not-local':
      return { problem: 'keyless requests (Spotlight or OTLP without a key) came from another machine or a page served elsewhere', fix: "send with the project's DSN" };
  }
}
