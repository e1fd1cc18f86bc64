/** `stacktray show <id>`: an issue and its latest event as readable text. */
import { ApiRequestError } from '../../shared/api-client';
import { issueMarkdown } from '../../shared/event-text';
import { apiClientFor, parseFlags, positiveIds, serverOptions, serverUrl, SERVER_FLAGS_USAGE, UsageError, type Command } from './command';

const USAGE = `Usage: stacktray show <issue id>

Prints the issue and its latest event as Markdown: exception chain, in-app frames with source
lines, breadcrumbs, tags, request and user.

${SERVER_FLAGS_USAGE}`;

export const showCommand: Command = {
  name: 'show',
  summary: 'an issue and its latest event as text',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, serverOptions, true);
    if (values.help) return (console.log(USAGE), 0);
    if (positionals.length > 1) throw new UsageError('show takes one issue id');
    const [id] = positiveIds(positionals) as [number];
    const api = apiClientFor(serverUrl(values.url), values.token);
    const issue = await api.issue(id);
    const event = await api.latestEvent(id).catch((error: unknown) => {
      if (error instanceof ApiRequestError && error.status === 404) return null;
      throw error;
    });
    console.log(issueMarkdown(issue, event));
    return 0;
  },
};
