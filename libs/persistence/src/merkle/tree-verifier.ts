import type { KeyObject } from 'node:crypto';
import { MerkleAppender, verifyCheckpoint, type SignedCheckpoint } from '@app/transparency';
import { treeRootAt, type TreeQueryable } from './merkle-store';

export interface TreeProblem {
  seq: bigint | null;
  text: string;
}

// Part of `ledger verify`: rebuilds the Merkle tree from the entries' hashes and holds every stored checkpoint to
// it (its root at its size, its chain head, and its signature when the ledger's public key is given), and the stored
// nodes to it (the root they give at the head). A rewrite of history that recomputed the hash chain still fails
// here, against checkpoints it cannot re-sign.
export async function verifyMerkleTree(db: TreeQueryable, ledgerKey: KeyObject | null, pageSizeRows = 10_000): Promise<TreeProblem[]> {
  const problems: TreeProblem[] = [];
  const checkpoints = (await db.query(`SELECT tree_size, body FROM checkpoints ORDER BY tree_size`)) as Array<{
    tree_size: string;
    body: SignedCheckpoint;
  }>;
  const tree = new MerkleAppender(0, []);
  let next = 0;
  let lastHash = '';
  const check = (cp: SignedCheckpoint): void => {
    const where = `checkpoint ${cp.treeSize}`;
    if (!tree.root().equals(Buffer.from(cp.rootHash, 'hex'))) {
      problems.push({ seq: BigInt(cp.treeSize), text: `${where}: its root is not the root of the first ${cp.treeSize} entries (history before it was changed)` });
    }
    if (cp.head.seq !== String(cp.treeSize) || cp.head.hash !== lastHash) {
      problems.push({ seq: BigInt(cp.treeSize), text: `${where}: its chain head is not entry ${cp.treeSize}'s hash` });
    }
    if (ledgerKey !== null) {
      const v = verifyCheckpoint(cp, ledgerKey);
      if (!v.ok) problems.push({ seq: null, text: `${where}: ${v.reason}` });
    }
  };
  while (next < checkpoints.length && Number(checkpoints[next]!.tree_size) === 0) check(checkpoints[next++]!.body);
  for (;;) {
    const rows = (await db.query(`SELECT seq, hash FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2`, [
      String(tree.size),
      pageSizeRows,
    ])) as Array<{ seq: string; hash: Buffer }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      if (BigInt(row.seq) !== BigInt(tree.size + 1)) return [...problems, { seq: BigInt(row.seq), text: `seq ${row.seq}: the entries have a gap; the tree cannot be checked past it` }];
      tree.append(row.hash);
      lastHash = row.hash.toString('hex');
      while (next < checkpoints.length && Number(checkpoints[next]!.tree_size) === tree.size) check(checkpoints[next++]!.body);
    }
  }
  for (; next < checkpoints.length; next++) {
    problems.push({ seq: null, text: `checkpoint ${checkpoints[next]!.tree_size}: the ledger has only ${tree.size} entries (entries were removed)` });
  }
  try {
    const stored = await treeRootAt(db, tree.size);
    if (!stored.equals(tree.root())) problems.push({ seq: null, text: `merkle_nodes: the stored tree's root does not match the entries (proofs from it would fail)` });
  } catch (err) {
    problems.push({ seq: null, text: `merkle_nodes: ${(err as Error).message}` });
  }
  return problems;
}
