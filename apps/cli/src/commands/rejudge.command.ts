// `ledger rejudge [--pack ID]`: judges again every event the ledger (DATABASE_URL) recorded, in the order it recorded
// them, with the services' code (the offline replay), and compares the entries, accounts, judging state and alerts
// with the ledger's (see rejudgeLedger). Prints {ok, policy, events, entries, accounts, alerts, differences[],
// differencesTotal}; exit 0 when they agree, 1 when not, 2 on a usage error. The pack is the ledger's own
// (POLICY_PACK, read through libs/config as the ledger reads it) unless --pack names another; likewise the regulator's
// trust anchors are the ledger's (TRUSTED_KEYS_FILE) unless --trusted-keys names a file.
// `verify` checks that the entries add up and the chain is intact; this checks that they are what the rules make of
// the recorded events.
import { loadCliSettings, settingsOrExit } from '@app/config';
import { rejudgeLedger } from '@app/persistence';
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs } from '../support/command-args';
import { authenticityOrUsageError, loadPackOrUsageError, PACK_FLAG, SIGNATURE_FLAGS } from '../support/judging-args';

const SPEC = {
  name: 'rejudge',
  usage: 'usage: ledger rejudge [--pack PACK_ID] [--require-signatures] [--trusted-keys FILE]',
  flags: { pack: PACK_FLAG, ...SIGNATURE_FLAGS },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const settings = settingsOrExit(() => loadCliSettings());
  const pack = loadPackOrUsageError(SPEC, flags.pack ?? settings.policyPack);
  const authenticity = authenticityOrUsageError(SPEC, { ...flags, 'trusted-keys': flags['trusted-keys'] ?? settings.trustedKeysFile ?? undefined });
  return withDatabase(async (ds) => {
    const report = await rejudgeLedger(ds, pack, { authenticity });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
