import { createHash, hash } from 'node:crypto';

// RFC 9162 (Certificate Transparency 2.0), section 2.1: the Merkle Tree Hash over the ledger's entries.
// A leaf is H(0x00 || entry hash) and an interior node H(0x01 || left || right), with H = SHA-256. The domain
// separation bytes make a leaf impossible to pass off as a node and the other way round.

export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

// The writer hashes about two of these per entry, so they are one-shot hashes over a scratch buffer (crypto.hash),
// with the digest asked for in hex: on Node 20 that and a Buffer.from is about 2.4x cheaper than a Hash object
// (635 against 1,499 ns a call on this machine).
let scratch = Buffer.alloc(1 + 2 * HASH_BYTES);

function prefixed(prefix: number, parts: readonly Buffer[]): Buffer {
  const length = 1 + parts.reduce((n, p) => n + p.length, 0);
  if (length > scratch.length) scratch = Buffer.alloc(length);
  scratch[0] = prefix;
  let at = 1;
  for (const p of parts) at += p.copy(scratch, at);
  return Buffer.from(hash('sha256', scratch.subarray(0, at), 'hex'), 'hex');
}

export function leafHash(entryHash: Buffer): Buffer {
  return prefixed(LEAF_PREFIX[0]!, [entryHash]);
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return prefixed(NODE_PREFIX[0]!, [left, right]);
}

// MTH({}) of the RFC: the hash of the empty string.
export const EMPTY_TREE_ROOT: Buffer = createHash('sha256').digest();

// A stored node: the root of the perfect subtree of 2^level leaves that starts at leaf index << level.
// Every subtree hash a proof needs is one of these, so a proof is a handful of keyed reads.
export interface NodeKey {
  level: number;
  index: number;
}

export interface StoredNode extends NodeKey {
  hash: Buffer;
}

export function assertTreeSize(size: number, what = 'tree size'): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${size}`);
}

// The largest power of two strictly below n (n >= 2): the RFC's split point k.
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// The right edge of a tree of `size` leaves: one perfect subtree per set bit of size, largest (leftmost) first.
export function frontierKeys(size: number): NodeKey[] {
  assertTreeSize(size);
  const keys: NodeKey[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      keys.push({ level, index: start / width });
      start += width;
    }
  }
  return keys;
}

// The root from the right edge: fold right to left, as MTH splits at the largest power of two each time.
export function rootOfFrontier(frontier: readonly Buffer[]): Buffer {
  if (frontier.length === 0) return EMPTY_TREE_ROOT;
  let root = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i], root);
  return root;
}

// Incremental append in O(log n): the tree keeps only its right edge in memory; each appended leaf yields the
// nodes that became complete (the leaf itself and every perfect subtree it closed), which the caller stores.
export class MerkleAppender {
  private readonly edge: StoredNode[];
  private treeSize: number;

  // `edge` are the stored nodes at frontierKeys(size), in that order.
  constructor(size: number, edge: readonly StoredNode[]) {
    const keys = frontierKeys(size);
    if (keys.length !== edge.length || keys.some((k, i) => k.level !== edge[i].level || k.index !== edge[i].index)) {
      throw new Error(`the right edge given does not match a tree of ${size} leaves`);
    }
    this.treeSize = size;
    this.edge = edge.map((n) => ({ ...n }));
  }

  get size(): number {
    return this.treeSize;
  }

  append(entryHash: Buffer): StoredNode[] {
    const created: StoredNode[] = [{ level: 0, index: this.treeSize, hash: leafHash(entryHash) }];
    this.edge.push(created[0]);
    // Two neighbours of one level merge into their parent, as long as the last two are siblings.
    while (this.edge.length >= 2) {
      const right = this.edge[this.edge.length - 1];
      const left = this.edge[this.edge.length - 2];
      if (left.level !== right.level) break;
      const parent: StoredNode = { level: left.level + 1, index: left.index / 2, hash: nodeHash(left.hash, right.hash) };
      this.edge.splice(this.edge.length - 2, 2, parent);
      created.push(parent);
    }
    this.treeSize += 1;
    return created;
  }

  root(): Buffer {
    return rootOfFrontier(this.edge.map((n) => n.hash));
  }

  frontier(): StoredNode[] {
    return this.edge.map((n) => ({ ...n }));
  }
}
