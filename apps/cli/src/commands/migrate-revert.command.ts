// `ledger migrate:revert`: reverts the most recent migration (one per call).
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs } from '../support/command-args';

const SPEC = { name: 'migrate:revert', usage: 'usage: ledger migrate:revert', flags: {} } as const;

export async function run(argv: string[]): Promise<number> {
  parseCommandArgs(SPEC, argv);
  return withDatabase(async (ds) => {
    const executed = await ds.showMigrations();
    if (!executed && (await ds.query(`SELECT to_regclass('schema_migrations') AS t`))[0]?.t === null) {
      process.stdout.write(`${JSON.stringify({ reverted: null })}\n`);
      return 0;
    }
    const before = (await ds.query(`SELECT name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1`)) as Array<{ name: string }>;
    await ds.undoLastMigration({ transaction: 'each' });
    process.stdout.write(`${JSON.stringify({ reverted: before[0]?.name ?? null })}\n`);
    return 0;
  });
}
