// The Merkle tree's part of the API benchmark: the writer signs checkpoints while the ledger is filled, the load
// asks for inclusion proofs of random entries (against the first checkpoint that covers each), and the storage the
// tree adds is reported per entry.
import { generateKeyPairSync } from 'node:crypto';
import { Client } from 'pg';
import type { CheckpointSigning } from '@app/persistence';

// About ten checkpoints over the fill, at most one per 100,000 entries.
export function checkpointEveryEntries(entriesWanted: number): number {
  return Math.min(100_000, Math.max(1_000, Math.floor(entriesWanted / 10)));
}

export function benchCheckpointSigning(entriesWanted: number): CheckpointSigning {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { origin: 'bench', keyId: 'ledger/bench', privateKey, everyEntries: checkpointEveryEntries(entriesWanted), everyMs: 3_600_000 };
}

export interface TreeFigures {
  entries: number;
  // The newest checkpoint's tree size: proofs are asked for entries 1..covered.
  covered: number;
  checkpoints: number;
  treeBytesPerEntry: number;
  entryBytesPerEntry: number;
}

// Table plus index bytes of the tree (merkle_nodes, checkpoints) against those of the entries themselves.
export async function treeFigures(url: string): Promise<TreeFigures> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ entries: string; covered: string | null; checkpoints: string; tree: string; entries_bytes: string }>(
      `SELECT (SELECT seq FROM ledger_head) AS entries,
              (SELECT max(tree_size) FROM checkpoints) AS covered,
              (SELECT count(*) FROM checkpoints) AS checkpoints,
              pg_total_relation_size('merkle_nodes') + pg_total_relation_size('checkpoints') AS tree,
              pg_total_relation_size('ledger_entries') AS entries_bytes`,
    );
    const r = rows[0]!;
    const entries = Math.max(1, Number(r.entries));
    return {
      entries,
      covered: Number(r.covered ?? 0),
      checkpoints: Number(r.checkpoints),
      treeBytesPerEntry: Number(r.tree) / entries,
      entryBytesPerEntry: Number(r.entries_bytes) / entries,
    };
  } finally {
    await c.end();
  }
}

export function inclusionProofPath(covered: number, random: () => number): () => string {
  return () => `/proof/entries/${1 + Math.floor(random() * Math.max(1, covered))}/inclusion`;
}

export function printTreeFigures(t: TreeFigures): void {
  process.stdout.write(
    `Merkle tree: ${t.checkpoints} signed checkpoints (the newest covers ${t.covered.toLocaleString('en-US')} entries), ` +
      `${t.treeBytesPerEntry.toFixed(1)} bytes per entry for the tree and checkpoints with their indexes ` +
      `(the entries themselves: ${t.entryBytesPerEntry.toFixed(1)} bytes per entry)\n`,
  );
}
