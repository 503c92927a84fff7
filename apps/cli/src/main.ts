// `ledger <command> [args]`: maps a command name to apps/cli/src/commands/<name>.command.ts, whose `run(argv)`
// resolves to the exit code. A ':' in a name becomes '-' in the file name (migrate:revert -> migrate-revert).
// Commands are loaded on demand, so `replay` starts without loading Kafka or Postgres clients.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFailure } from './support/cli-failure';
import { HelpRequest, UsageError } from './support/command-args';

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS_DIR = path.join(__dirname, 'commands');
const SUFFIX = '.command.js';
const NAME_PATTERN = /^[a-z][a-z0-9-]*(:[a-z0-9-]+)?$/;

// The commands directory is built beside this file: it is always there.
function commandNames(): string[] {
  return fs
    .readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .map((n) => (n === 'migrate-revert' ? 'migrate:revert' : n))
    .sort();
}

function usage(): string {
  return `usage: ledger <command> [args]\ncommands: ${commandNames().join(', ')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const file = path.join(COMMANDS_DIR, `${name.replace(':', '-')}${SUFFIX}`);
  if (!NAME_PATTERN.test(name) || !fs.existsSync(file)) {
    process.stderr.write(`ledger: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as CommandModule;
  try {
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof HelpRequest) {
      process.stdout.write(`${e.usage}\n`);
      return 0;
    }
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n${e.usage}\n`);
    return 2;
  }
}

// A reader that stops early (`ledger replay FILE | head`, `ledger tail-alerts | head -5`) closes the pipe: stop
// quietly, as Unix tools do, rather than with a stack trace for an unhandled EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(describeFailure(err, process.env['LOG_LEVEL'] === 'debug'));
    process.exitCode = 1;
  },
);
