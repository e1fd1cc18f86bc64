/** `stacktray issues`: the issue list, one line each. */
import { LINE_FORMATS, issueLine } from '../../shared/event-text';
import { apiClientFor, oneOf, parseFlags, serverOptions, serverUrl, SERVER_FLAGS_USAGE, UsageError, type Command } from './command';

const STATUSES = ['unresolved', 'resolved', 'ignored', 'all'] as const;

const USAGE = `Usage: stacktray issues [--status <status>] [--query <search>] [--limit <n>] [--format <format>]

Lists issues, most recently seen first.

  --status        ${STATUSES.join(' | ')} (default unresolved)
  --query         search text and filters, as in the app: "TypeError level:error release:1.2"
  --limit         how many (1–100, default 25)
  --format        human | json | logfmt | md (default human)
${SERVER_FLAGS_USAGE}`;

export const issuesCommand: Command = {
  name: 'issues',
  summary: 'list issues',
  usage: USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, {
      ...serverOptions,
      status: { type: 'string' },
      query: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
    });
    if (values.help) return (console.log(USAGE), 0);
    const status = oneOf(values.status, STATUSES, '--status', 'unresolved');
    const format = oneOf(values.format, LINE_FORMATS, '--format', 'human');
    const limit = values.limit === undefined ? 25 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`--limit must be 1–100, got "${values.limit}"`);
    const api = apiClientFor(serverUrl(values.url), values.token);
    const { issues } = await api.issues({ status, query: values.query, limit });
    if (issues.length === 0 && format === 'human') console.error('No issues.');
    for (const issue of issues) console.log(issueLine(issue, format));
    return 0;
  },
};
