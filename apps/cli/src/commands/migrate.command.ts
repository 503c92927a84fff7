// `ledger migrate`: applies the migrations that have not run yet, each in its own transaction.
import { withDatabase } from '../support/cli-database';

export async function run(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write('usage: ledger migrate\n');
    return 2;
  }
  return withDatabase(async (ds) => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    process.stdout.write(`${JSON.stringify({ applied: applied.map((m) => m.name) })}\n`);
    return 0;
  });
}
