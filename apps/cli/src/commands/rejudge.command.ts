// `ledger rejudge [--pack ID]`: judges again every event the ledger (DATABASE_URL) recorded, in the order it recorded
// them, with the services' code (the offline replay), and compares the entries, accounts, judging state and alerts
// with the ledger's (see rejudgeLedger). Prints {ok, policy, events, entries, accounts, alerts, differences[],
// differencesTotal}; exit 0 when they agree, 1 when not, 2 on a usage error. The pack is the ledger's own
// (POLICY_PACK, read through libs/config as the ledger reads it) unless --pack names another; likewise its licence setting
// (POLICY_LICENCES) unless --licences names another.
// `verify` checks that the entries add up and the chain is intact; this checks that they are what the rules make of
// the recorded events.
import { loadCliSettings, settingsOrExit } from '@app/config';
import { rejudgeLedger } from '@app/persistence';
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs } from '../support/command-args';
import { LICENCES_FLAG, loadPackOrUsageError, PACK_FLAG } from '../support/judging-args';

const SPEC = {
  name: 'rejudge',
  usage: 'usage: ledger rejudge [--pack PACK_ID] [--licences verify-if-known|registered-only]',
  flags: { pack: PACK_FLAG, licences: LICENCES_FLAG },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const settings = flags.pack === undefined || flags.licences === undefined ? settingsOrExit(() => loadCliSettings()) : null;
  const pack = loadPackOrUsageError(SPEC, flags.pack ?? settings!.policyPack, flags.licences ?? settings!.licences);
  return withDatabase(async (ds) => {
    const report = await rejudgeLedger(ds, pack);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
