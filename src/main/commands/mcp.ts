/** `stacktray mcp`: the MCP tools over stdio for an assistant, talking to a running Stacktray through its HTTP API. */
import { apiClientFor, notRunningHint, parseFlags, serverOptions, serverUrl, SERVER_FLAGS_USAGE, type Command } from './command';

const USAGE = `Usage: stacktray mcp [--url <url>] [--token <token>]

Serves Stacktray's MCP tools (Sentry's names: search_issues, get_issue_details, get_event_stacktrace,
get_issue_breadcrumbs, get_issue_tag_values, search_issue_events, search_events, update_issue,
find_projects) over stdio, for an AI assistant to start. It starts no server: it asks the one at --url.

${SERVER_FLAGS_USAGE}`;

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'MCP server over stdio for AI assistants (asks a running Stacktray)',
  usage: USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, serverOptions);
    if (values.help) return (console.log(USAGE), 0);
    const url = serverUrl(values.url);
    // Loaded here, not with the `stacktray` command: every other subcommand (and the server) goes without the MCP SDK.
    const [{ serveStdio }, { createMcpServer }] = await Promise.all([import('@modelcontextprotocol/server/stdio'), import('../mcp/tools')]);
    const source = apiClientFor(url, values.token);
    // stdout carries the protocol: anything we have to say goes to stderr.
    console.error(`stacktray mcp: serving MCP over stdio for ${url}`);
    const handle = serveStdio(() => createMcpServer({ source, unreachableHint: notRunningHint(url) }), {
      onerror: (error) => console.error(`stacktray mcp: ${error.message}`),
    });
    await new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await handle.close();
    return 0;
  },
};
