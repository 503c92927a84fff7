// `ledger rejudge [--pack ID]`: judges again every event the ledger (DATABASE_URL) recorded, in the order it recorded
// them, with the services' code (the offline replay), and compares the entries, accounts, judging state and alerts
// with the ledger's (see rejudgeLedger). Prints {ok, policy, events, entries, accounts, alerts, differences[],
// differencesTotal}; exit 0 when they agree, 1 when not, 2 on a usage error. The pack is the ledger's own
// (POLICY_PACK, as the ledger reads it) unless --pack names another; likewise its licence setting (POLICY_LICENCES) unless
// --licences names another.
// `verify` checks that the entries add up and the chain is intact; this checks that they are what the rules make of
// the recorded events.
import { DEFAULT_PACK_ID } from '@app/policy';
import { rejudgeLedger } from '@app/persistence';
import { withDatabase } from '../support/cli-database';
import { judgingArgs } from '../support/judging-args';

const USAGE = 'usage: ledger rejudge [--pack PACK_ID] [--licences verify-if-known|registered-only]';

export async function run(argv: string[]): Promise<number> {
  const args = judgingArgs('rejudge', argv, {
    usage: USAGE,
    positionalMax: 0,
    defaultPack: process.env['POLICY_PACK'] ?? DEFAULT_PACK_ID,
    defaultLicences: process.env['POLICY_LICENCES'],
    io: process,
  });
  if (args === null) return 2;
  if (args.help) return 0;
  const { pack } = args;
  return withDatabase(async (ds) => {
    const report = await rejudgeLedger(ds, pack);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
