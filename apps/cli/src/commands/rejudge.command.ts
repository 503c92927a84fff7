// `ledger rejudge [--pack ID]`: judges again every event the ledger (DATABASE_URL) recorded, in the order it recorded
// them, with the services' code (the offline replay), and compares the accounts and alerts with the ledger's. Prints
// {ok, policy, events, accounts, alerts, differences[], differencesTotal}; exit 0 when they agree, 1 when not, 2 on a
// usage error. The pack is the ledger's own (POLICY_PACK, as the ledger reads it) unless --pack names another.
// `verify` checks that the entries add up and the chain is intact; this checks that they are what the rules make of
// the recorded events.
import { DEFAULT_PACK_ID, loadPolicyPack, type PolicyPack } from '@app/policy';
import { rejudgeLedger } from '@app/persistence';
import { withDatabase } from '../support/cli-database';

const USAGE = 'usage: ledger rejudge [--pack PACK_ID]';

export async function run(argv: string[]): Promise<number> {
  let packId = process.env['POLICY_PACK'] ?? DEFAULT_PACK_ID;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--pack') packId = argv[++i] ?? '';
    else if (arg.startsWith('--pack=')) packId = arg.slice('--pack='.length);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else {
      process.stderr.write(`ledger rejudge: unexpected argument "${arg}"\n${USAGE}\n`);
      return 2;
    }
  }
  let pack: PolicyPack;
  try {
    pack = loadPolicyPack(packId);
  } catch (e) {
    process.stderr.write(`ledger rejudge: ${(e as Error).message}\n`);
    return 2;
  }
  return withDatabase(async (ds) => {
    const report = await rejudgeLedger(ds, pack);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
