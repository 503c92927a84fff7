// `ledger migrate`: applies the migrations that have not run yet, each in its own transaction.
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs } from '../support/command-args';

const SPEC = { name: 'migrate', usage: 'usage: ledger migrate', flags: {} } as const;

export async function run(argv: string[]): Promise<number> {
  parseCommandArgs(SPEC, argv);
  return withDatabase(async (ds) => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    process.stdout.write(`${JSON.stringify({ applied: applied.map((m) => m.name) })}\n`);
    return 0;
  });
}
