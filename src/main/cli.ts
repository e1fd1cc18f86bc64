/**
 * The `stacktray` command (package.json `bin`, built to out/main/cli.js). Plain `stacktray` and
 * `npm start` run the headless server; the other subcommands are clients of a running one.
 */
import { ApiRequestError } from '../shared/api-client';
import { COMMANDS } from './commands';
import { CommandError, UsageError } from './commands/command';

const USAGE = `Usage: stacktray [<command>] [options]

A local error tracker that speaks Sentry's protocol. Commands:

${COMMANDS.map((command) => `  ${command.name.padEnd(9)} ${command.summary}`).join('\n')}

Plain \`stacktray [serve options]\` runs serve. \`stacktray <command> --help\` tells more.`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    const command = COMMANDS.find((each) => each.name === rest[0]);
    console.log(command ? command.usage : USAGE);
    return 0;
  }
  const named = first !== undefined && !first.startsWith('-');
  const command = named ? COMMANDS.find((each) => each.name === first) : COMMANDS[0];
  if (!command) {
    console.error(`stacktray: unknown command "${first}" (commands: ${COMMANDS.map((each) => each.name).join(', ')}; see stacktray --help)`);
    return 2;
  }
  try {
    return await command.run(named ? rest : argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`stacktray ${command.name}: ${error.message} (see stacktray ${command.name} --help)`);
      return 2;
    }
    if (error instanceof CommandError || error instanceof ApiRequestError) {
      console.error(`stacktray ${command.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('stacktray: failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
