/** The `stacktray` command's subcommands, in the order `stacktray --help` lists them. */
import type { Command } from './command';
import { serveCommand } from './serve';
import { mcpCommand } from './mcp';
import { tailCommand } from './tail';
import { runCommand } from './run';
import { issuesCommand } from './issues';
import { showCommand } from './show';
import { resolveCommand } from './resolve';
import { ignoreCommand } from './ignore';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  mcpCommand,
  tailCommand,
  runCommand,
  issuesCommand,
  showCommand,
  resolveCommand,
  ignoreCommand,
];
