/** What `resolve` and `ignore` share: change the status of the issues named on the command line. */
import type { IssueStatus } from '../../shared/issue';
import { apiClientFor, parseFlags, positiveIds, serverOptions, serverUrl, SERVER_FLAGS_USAGE, type Command } from './command';

export function statusCommand(name: string, status: IssueStatus, summary: string): Command {
  const usage = `Usage: stacktray ${name} <issue id…>

${summary[0]?.toUpperCase()}${summary.slice(1)}.

${SERVER_FLAGS_USAGE}`;
  return {
    name,
    summary,
    usage,
    async run(argv) {
      const { values, positionals } = parseFlags(argv, serverOptions, true);
      if (values.help) return (console.log(usage), 0);
      const ids = positiveIds(positionals);
      const api = apiClientFor(serverUrl(values.url), values.token);
      const { issues } = await api.bulkUpdateIssues({ ids, status });
      for (const issue of issues) console.log(`${issue.id} ${issue.status}: ${issue.title}`);
      const missing = ids.filter((id) => !issues.some((issue) => issue.id === id));
      for (const id of missing) console.error(`stacktray ${name}: issue ${id} does not exist`);
      return missing.length > 0 ? 1 : 0;
    },
  };
}
