import type { KeyObject } from 'node:crypto';
import { signCheckpoint, type MerkleAppender, type SignedCheckpoint, type StoredNode } from '@app/transparency';
import { insertTreeNodes, isStoredLevel, loadMerkleAppender, type TreeQueryable } from './merkle-store';

// When and how the ledger signs checkpoints: every `everyEntries` entries (at each multiple, so every instance
// agrees), and at the first batch after `everyMs` without one.
export interface TreeAppend {
  nodes: StoredNode[];
  sizeBefore: number;
  sizeAfter: number;
  root: Buffer;
}

export interface CheckpointSigning {
  origin: string;
  keyId: string;
  privateKey: KeyObject;
  everyEntries: number;
  everyMs: number;
}

// The writer's Merkle tree: its right edge in memory, kept in step with ledger_head. A batch appends its entries
// while it judges (under the head lock, or after the batch it follows in the pipeline), and writes the nodes and
// any checkpoint in its own transaction. When the edge is not at the head a batch starts from (another instance
// wrote, or a batch before failed), it is read again: O(log n) rows.
export class LedgerTree {
  private tree: MerkleAppender | null = null;
  private lastCheckpoint: { size: number; atMs: number } | null = null;

  constructor(
    private readonly signing: CheckpointSigning | null,
    private readonly now: () => number = Date.now,
  ) {}

  // Under the head lock, before judging: the tree must stand at the head's seq.
  async syncTo(db: TreeQueryable, headSeq: bigint): Promise<void> {
    const size = Number(headSeq);
    if (this.tree === null || this.tree.size !== size) this.tree = await loadMerkleAppender(db, size);
    if (this.lastCheckpoint === null && this.signing !== null) {
      const [row] = (await db.query(`SELECT tree_size, made_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1`)) as Array<{
        tree_size: string;
        made_at: Date;
      }>;
      this.lastCheckpoint = row ? { size: Number(row.tree_size), atMs: row.made_at.getTime() } : { size: 0, atMs: this.now() };
    }
  }

  // Whether the in-memory tree ends where a pipelined batch's predecessor left the head.
  isAt(headSeq: bigint): boolean {
    return this.tree !== null && BigInt(this.tree.size) === headSeq;
  }

  get size(): number {
    if (this.tree === null) throw new Error('LedgerTree used before syncTo');
    return this.tree.size;
  }

  // One batch's entries (hashes as the writer keeps them, hex), appended: the nodes they completed at the stored
  // levels and the root after them, taken now because the next batch of the pipeline may append before this one writes.
  append(entryHashesHex: readonly string[]): TreeAppend {
    const tree = this.tree;
    if (tree === null) throw new Error('LedgerTree used before syncTo');
    const sizeBefore = tree.size;
    const nodes = tree.appendHex(entryHashesHex, isStoredLevel);
    return { nodes, sizeBefore, sizeAfter: tree.size, root: tree.root() };
  }

  // In the batch transaction: the nodes, and a checkpoint of the tree as it stands after them when one is due.
  // `head` is the chain head after the batch (its last entry).
  async write(db: TreeQueryable, appended: TreeAppend, head: { seq: bigint; hash: string }): Promise<SignedCheckpoint | null> {
    await insertTreeNodes(db, appended.nodes);
    const size = appended.sizeAfter;
    if (BigInt(size) !== head.seq) throw new Error(`the tree holds ${size} entries but the head is at seq ${head.seq}`);
    if (this.signing === null || !this.due(appended.sizeBefore, size)) return null;
    const checkpoint = signCheckpoint(
      {
        version: 1,
        origin: this.signing.origin,
        treeSize: size,
        rootHash: appended.root.toString('hex'),
        head: { seq: head.seq.toString(), hash: head.hash },
        time: new Date(this.now()).toISOString(),
        keyId: this.signing.keyId,
      },
      this.signing.privateKey,
    );
    await db.query(
      `INSERT INTO checkpoints (tree_size, root_hash, head_seq, head_hash, made_at, key_id, body)
       VALUES ($1, decode($2, 'hex'), $3, decode($4, 'hex'), $5, $6, $7) ON CONFLICT (tree_size) DO NOTHING`,
      [String(size), checkpoint.rootHash, checkpoint.head.seq, checkpoint.head.hash, checkpoint.time, checkpoint.keyId, checkpoint],
    );
    this.lastCheckpoint = { size, atMs: this.now() };
    return checkpoint;
  }

  private due(sizeBefore: number, size: number): boolean {
    const signing = this.signing;
    if (signing === null || size === 0) return false;
    if (Math.floor(sizeBefore / signing.everyEntries) < Math.floor(size / signing.everyEntries)) return true;
    const last = this.lastCheckpoint;
    return last !== null && size > last.size && this.now() - last.atMs >= signing.everyMs;
  }

  // A failed batch leaves the in-memory edge ahead of the database: forget it, the next batch reads it again.
  reset(): void {
    this.tree = null;
  }
}
