/** The official MCP SDK's client over both of Stacktray's transports: `stacktray mcp` (stdio, from the build) and `/mcp`. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CLI } from './cli-process';

export type McpTransportName = 'stdio' | 'http';
export const MCP_TRANSPORTS: McpTransportName[] = ['stdio', 'http'];

export interface McpSession {
  /** A tool's answer as its text parts joined, and whether it was a tool error. */
  call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
  client: Client;
  close(): Promise<void>;
}

type Text = { content?: { type: string; text?: string }[]; isError?: boolean };

export async function connectMcp(transport: McpTransportName, serverUrl: string): Promise<McpSession> {
  const client = new Client({ name: 'stacktray-test', version: '1.0.0' });
  await client.connect(
    transport === 'stdio'
      ? new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--url', serverUrl], stderr: 'ignore' })
      : new StreamableHTTPClientTransport(new URL(`${serverUrl}/mcp`)),
  );
  return {
    client,
    async call(name, args) {
      const result = (await client.callTool({ name, arguments: args })) as Text;
      return { text: (result.content ?? []).map((part) => part.text ?? '').join('\n'), isError: result.isError === true };
    },
    close: () => client.close(),
  };
}
