// `ledger verify`: recomputes the hash chain and every account balance from the entries and prints
// {ok, entries, accounts, firstBrokenSeq?, problems[]}. Exit 1 when the ledger is broken.
import { verifyLedger } from '@app/persistence';
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs } from '../support/command-args';

const SPEC = { name: 'verify', usage: 'usage: ledger verify', flags: {} } as const;

export async function run(argv: string[]): Promise<number> {
  parseCommandArgs(SPEC, argv);
  return withDatabase(async (ds) => {
    const report = await verifyLedger(ds);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
