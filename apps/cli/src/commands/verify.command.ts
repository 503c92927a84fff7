// `ledger verify [--ledger-key FILE]`: recomputes the hash chain and every account balance from the entries,
// rebuilds the Merkle tree and holds every stored checkpoint to it (and, with the ledger's public key, checks their
// signatures), and prints {ok, entries, accounts, firstBrokenSeq?, problems[]}. Exit 1 when the ledger is broken.
import * as fs from 'node:fs';
import { verifyLedger } from '@app/persistence';
import { readLedgerPublicKey } from '@app/transparency';
import { withDatabase } from '../support/cli-database';
import { parseCommandArgs, UsageError } from '../support/command-args';

const SPEC = {
  name: 'verify',
  usage: 'usage: ledger verify [--ledger-key FILE]   (FILE: the ledger public key, PEM or base64url of its 32 bytes)',
  flags: { 'ledger-key': { type: 'string' } },
} as const;

function ledgerKey(file: string | undefined): ReturnType<typeof readLedgerPublicKey> | null {
  if (file === undefined) return null;
  try {
    return readLedgerPublicKey(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(SPEC.name, `--ledger-key ${file}: ${(err as Error).message}`, SPEC.usage);
  }
}

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const key = ledgerKey(flags['ledger-key']);
  return withDatabase(async (ds) => {
    const report = await verifyLedger(ds, { ledgerKey: key });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  });
}
