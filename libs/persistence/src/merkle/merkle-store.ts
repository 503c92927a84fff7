import {
  MerkleAppender,
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofKeys,
  frontierKeys,
  inclusionProofKeys,
  leafHash,
  nodeHash,
  rootKeys,
  rootOfFrontier,
  type NodeKey,
  type StoredNode,
} from '@app/transparency';

// Reading and writing the Merkle tree's stored nodes (see the MerkleTree migration for the layout). Every function
// takes the connection or transaction it should use, so the writer appends inside its batch transaction and the
// API reads inside its snapshot.
export interface TreeQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const keyOf = (k: NodeKey): string => `${k.level}/${k.index}`;

// Only every STORED_LEVEL_STEP-th level is stored (4, 8, 12, ...): about one row per 15 entries instead of one per
// entry, which is what the batch transaction pays for (an INSERT of a row per entry cost the writer a quarter of its
// throughput). A node between stored levels is folded from the at most 2^(STORED_LEVEL_STEP-1) nodes of the stored
// level (or the leaves) below it, so a proof still reads O(log n) rows, in one round trip for each kind.
export const STORED_LEVEL_STEP = 4;

export function isStoredLevel(level: number): boolean {
  return level > 0 && level % STORED_LEVEL_STEP === 0;
}

// The stored level (or 0, the leaves) a node is folded from.
function baseLevelOf(level: number): number {
  return level - (level % STORED_LEVEL_STEP);
}

// The nodes named: the leaves and stored nodes under them read (leaves from ledger_entries), the rest folded.
export async function readTreeNodes(db: TreeQueryable, keys: readonly NodeKey[]): Promise<Map<string, Buffer>> {
  const bases = new Map<string, NodeKey>();
  for (const k of keys) {
    const base = baseLevelOf(k.level);
    const width = 2 ** (k.level - base);
    for (let i = 0; i < width; i++) {
      const b = { level: base, index: k.index * width + i };
      bases.set(keyOf(b), b);
    }
  }
  const read = await readBaseNodes(db, [...bases.values()]);
  const out = new Map<string, Buffer>();
  for (const k of keys) {
    const hash = foldFrom(read, k);
    if (hash !== undefined) out.set(keyOf(k), hash);
  }
  return out;
}

// Node k from the base level below it (undefined when one of those is missing).
function foldFrom(base: Map<string, Buffer>, k: NodeKey): Buffer | undefined {
  const from = baseLevelOf(k.level);
  let level: Array<Buffer | undefined> = [];
  const width = 2 ** (k.level - from);
  for (let i = 0; i < width; i++) level.push(base.get(keyOf({ level: from, index: k.index * width + i })));
  while (level.length > 1) {
    const up: Array<Buffer | undefined> = [];
    for (let i = 0; i < level.length; i += 2) {
      const [l, r] = [level[i], level[i + 1]];
      up.push(l === undefined || r === undefined ? undefined : nodeHash(l, r));
    }
    level = up;
  }
  return level[0];
}

async function readBaseNodes(db: TreeQueryable, keys: readonly NodeKey[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const leaves = keys.filter((k) => k.level === 0);
  const inner = keys.filter((k) => k.level > 0);
  if (leaves.length > 0) {
    const rows = (await db.query(`SELECT seq, hash FROM ledger_entries WHERE seq = ANY($1::bigint[])`, [
      leaves.map((k) => String(k.index + 1)),
    ])) as Array<{ seq: string; hash: Buffer }>;
    for (const r of rows) out.set(keyOf({ level: 0, index: Number(r.seq) - 1 }), leafHash(r.hash));
  }
  if (inner.length > 0) {
    const rows = (await db.query(
      `SELECT n.level, n.idx, n.hash FROM merkle_nodes n
         JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, idx) ON k.level = n.level AND k.idx = n.idx`,
      [inner.map((k) => k.level), inner.map((k) => String(k.index))],
    )) as Array<{ level: number; idx: string; hash: Buffer }>;
    for (const r of rows) out.set(keyOf({ level: r.level, index: Number(r.idx) }), r.hash);
  }
  return out;
}

function readerOf(nodes: Map<string, Buffer>): (k: NodeKey) => Buffer {
  return (k) => {
    const hash = nodes.get(keyOf(k));
    // A node a proof needs is missing: the tables were changed behind the ledger's back.
    if (hash === undefined) throw new MerkleTreeIncomplete(k);
    return hash;
  };
}

export class MerkleTreeIncomplete extends Error {
  constructor(readonly key: NodeKey) {
    super(`the Merkle tree has no node at level ${key.level}, index ${key.index}: it does not match the ledger entries`);
  }
}

export async function loadMerkleAppender(db: TreeQueryable, size: number): Promise<MerkleAppender> {
  const keys = frontierKeys(size);
  const read = readerOf(await readTreeNodes(db, keys));
  return new MerkleAppender(size, keys.map((k) => ({ ...k, hash: read(k) })));
}

export async function insertTreeNodes(db: TreeQueryable, nodes: readonly StoredNode[]): Promise<void> {
  const stored = nodes.filter((n) => isStoredLevel(n.level));
  if (stored.length === 0) return;
  await db.query(`INSERT INTO merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
    stored.map((n) => n.level),
    stored.map((n) => String(n.index)),
    stored.map((n) => n.hash),
  ]);
}

export async function treeRootAt(db: TreeQueryable, size: number): Promise<Buffer> {
  const keys = rootKeys(size);
  const read = readerOf(await readTreeNodes(db, keys));
  return rootOfFrontier(keys.map(read));
}

export async function inclusionPath(db: TreeQueryable, leafIndex: number, treeSize: number): Promise<Buffer[]> {
  const nodes = await readTreeNodes(db, inclusionProofKeys(leafIndex, treeSize));
  return buildInclusionProof(leafIndex, treeSize, readerOf(nodes));
}

export async function consistencyPath(db: TreeQueryable, first: number, second: number): Promise<Buffer[]> {
  const nodes = await readTreeNodes(db, consistencyProofKeys(first, second));
  return buildConsistencyProof(first, second, readerOf(nodes));
}
