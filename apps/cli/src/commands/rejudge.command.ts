// `ledger rejudge [--pack ID | --timeline ID]`: judges again every event the ledger (DATABASE_URL) recorded, in the order it recorded
// them, with the services' code (the offline replay), and compares the entries, accounts, judging state and alerts
// with the ledger's (see rejudgeLedger). Prints {ok, policy, events, entries, accounts, alerts, differences[],
// differencesTotal}; exit 0 when they agree, 1 when not, 2 on a usage error. The pack or timeline is the ledger's own
// (POLICY_TIMELINE or POLICY_PACK, read through libs/config as the ledger reads them) unless --pack or --timeline
// names another: then the differences are what that regime would have changed in the recorded ledger.
// The regulator's trust anchors are the ledger's (TRUSTED_KEYS_FILE) unless --trusted-keys names a file.
// `verify` checks that the entries add up and the chain is intact; this checks that they are what the rules make of
// the recorded events.
import { loadCliSettings, settingsOrExit } from '@app/config';
import { rejudgeLedger } from '@app/persistence';
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs } from '../support/command-args';
import { authenticityOrUsageError, LICENCES_FLAG, loadPolicyOrUsageError, PACK_FLAG, SIGNATURE_FLAGS, TIMELINE_FLAG, withLicences } from '../support/judging-args';

const SPEC = {
  name: 'rejudge',
  usage: 'usage: ledger rejudge [--pack PACK_ID | --timeline TIMELINE_ID] [--require-signatures] [--trusted-keys FILE] [--licences verify-if-known|registered-only]',
  flags: { pack: PACK_FLAG, timeline: TIMELINE_FLAG, ...SIGNATURE_FLAGS, licences: LICENCES_FLAG },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const settings = settingsOrExit(() => loadCliSettings());
  const policy = loadPolicyOrUsageError(SPEC, { pack: flags.pack, timeline: flags.timeline, defaults: { pack: settings.policyPack, timeline: settings.policyTimeline } });
  // The ledger's licence setting (POLICY_LICENCES) unless --licences names another.
  const pack = withLicences(policy, flags.licences ?? settings.licences);
  const authenticity = authenticityOrUsageError(SPEC, { ...flags, 'trusted-keys': flags['trusted-keys'] ?? settings.trustedKeysFile ?? undefined });
  return withDatabase(async (ds) => {
    const report = await rejudgeLedger(ds, pack, { authenticity });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
