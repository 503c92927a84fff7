// `ledger verify-proof PROOF.json --ledger-key KEY`: checks a proof document the API served (an entry's inclusion,
// an event's inclusions, or the consistency of two checkpoints) against the ledger's Ed25519 public key, with no
// database and no network. Prints one line of JSON; exit 0 when the proof holds, 1 with the reason when it does
// not, 2 for a usage error or an unreadable file.
import * as fs from 'node:fs';
import { verifyProofDocument, type ProofVerdict } from '@app/persistence/merkle/proof-document';
import { readLedgerPublicKey } from '@app/transparency';
import { parseCommandArgs, UsageError } from '../support/command-args';

const SPEC = {
  name: 'verify-proof',
  usage: 'usage: ledger verify-proof PROOF.json --ledger-key FILE   (FILE: the ledger public key, PEM or base64url of its 32 bytes)',
  flags: { 'ledger-key': { type: 'string' } },
  positionals: ['PROOF.json'],
  positionalsMin: 1,
} as const;

function readOrUsage(path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(SPEC.name, `cannot read ${what} ${path}: ${(err as Error).message}`, SPEC.usage);
  }
}

// An event's inclusion answer ({checkpoint, proofs: [...]}) holds when each of its proofs does.
function verifyAll(doc: unknown, key: ReturnType<typeof readLedgerPublicKey>): ProofVerdict {
  const proofs = (doc as { proofs?: unknown } | null)?.proofs;
  if (!Array.isArray(proofs)) return verifyProofDocument(doc, key);
  if (proofs.length === 0) return { ok: false, reason: 'the document lists no proofs' };
  const says: string[] = [];
  for (const [i, proof] of proofs.entries()) {
    const verdict = verifyProofDocument(proof, key);
    if (!verdict.ok) return { ok: false, reason: `proof ${i + 1} of ${proofs.length}: ${verdict.reason}` };
    says.push(verdict.says);
  }
  return { ok: true, says: says.join('; ') };
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseCommandArgs(SPEC, argv);
  const keyFile = flags['ledger-key'];
  if (keyFile === undefined) throw new UsageError(SPEC.name, 'missing --ledger-key FILE', SPEC.usage);
  let key;
  try {
    key = readLedgerPublicKey(readOrUsage(keyFile, 'the ledger key'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(SPEC.name, `--ledger-key ${keyFile} is not an Ed25519 public key: ${(err as Error).message}`, SPEC.usage);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readOrUsage(positionals[0]!, 'the proof'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    process.stdout.write(`${JSON.stringify({ ok: false, reason: `the proof is not JSON: ${(err as Error).message}` })}\n`);
    return 1;
  }
  const verdict = verifyAll(doc, key);
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  return verdict.ok ? 0 : 1;
}
