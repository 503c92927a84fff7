import type { SignedCheckpoint } from '@app/transparency';
import { hashedEntryFromRow, LEDGER_ENTRY_COLUMNS, type LedgerEntryRow } from '../entry-hash';
import { consistencyPath, inclusionPath, type TreeQueryable } from './merkle-store';
import { provenEntry, type ConsistencyProofDocument, type InclusionProofDocument } from './proof-document';

// Proof documents read from the database: O(log n) keyed reads each, whatever the size of the ledger.

export async function checkpointAt(db: TreeQueryable, treeSize: bigint): Promise<SignedCheckpoint | null> {
  const [row] = (await db.query(`SELECT body FROM checkpoints WHERE tree_size = $1`, [treeSize.toString()])) as Array<{ body: SignedCheckpoint }>;
  return row?.body ?? null;
}

// The first checkpoint that holds entry `seq`: the smallest tree that proves it, so the proof is available as
// soon as a checkpoint covers the entry.
export async function firstCheckpointCovering(db: TreeQueryable, seq: bigint): Promise<SignedCheckpoint | null> {
  const [row] = (await db.query(`SELECT body FROM checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1`, [seq.toString()])) as Array<{
    body: SignedCheckpoint;
  }>;
  return row?.body ?? null;
}

export async function latestCheckpoint(db: TreeQueryable): Promise<SignedCheckpoint | null> {
  const [row] = (await db.query(`SELECT body FROM checkpoints ORDER BY tree_size DESC LIMIT 1`)) as Array<{ body: SignedCheckpoint }>;
  return row?.body ?? null;
}

export async function entryRowsOf(db: TreeQueryable, seqs: readonly bigint[]): Promise<LedgerEntryRow[]> {
  return (await db.query(`SELECT ${LEDGER_ENTRY_COLUMNS} FROM ledger_entries WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [
    seqs.map(String),
  ])) as LedgerEntryRow[];
}

// `checkpoint` must cover the entry (treeSize >= seq).
export async function inclusionDocument(db: TreeQueryable, row: LedgerEntryRow, checkpoint: SignedCheckpoint): Promise<InclusionProofDocument> {
  const seq = BigInt(row.seq);
  if (BigInt(checkpoint.treeSize) < seq) throw new RangeError(`checkpoint ${checkpoint.treeSize} does not cover entry ${seq}`);
  const leafIndex = Number(seq - 1n);
  const path = await inclusionPath(db, leafIndex, checkpoint.treeSize);
  return {
    kind: 'inclusion',
    checkpoint,
    leafIndex,
    entry: provenEntry(hashedEntryFromRow(row), row.prev_hash.toString('hex'), row.hash.toString('hex')),
    path: path.map((h) => h.toString('hex')),
  };
}

export async function consistencyDocument(db: TreeQueryable, from: SignedCheckpoint, to: SignedCheckpoint): Promise<ConsistencyProofDocument> {
  if (from.treeSize > to.treeSize) throw new RangeError(`checkpoint ${from.treeSize} is newer than ${to.treeSize}`);
  const path = await consistencyPath(db, from.treeSize, to.treeSize);
  return { kind: 'consistency', from, to, path: path.map((h) => h.toString('hex')) };
}
