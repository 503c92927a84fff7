import { strict as assert } from 'node:assert';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  EMPTY_TREE_ROOT,
  MerkleAppender,
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofKeys,
  frontierKeys,
  inclusionProofKeys,
  leafHash,
  nodeHash,
  rawPublicKey,
  ed25519PublicKey,
  rootKeys,
  signCheckpoint,
  splitPoint,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type NodeKey,
  type StoredNode,
} from '@app/transparency';

// The RFC's definitions written naively over the leaves themselves: the reference the stored-node code must match.
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_TREE_ROOT;
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function subproof(m: number, leaves: Buffer[], complete: boolean): Buffer[] {
  if (m === leaves.length) return complete ? [] : [mth(leaves)];
  const k = splitPoint(leaves.length);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

// A ledger of n entries appended one by one, every created node kept as the writer stores them.
function grow(leaves: Buffer[]): { store: Map<string, Buffer>; roots: Buffer[] } {
  const store = new Map<string, Buffer>();
  const roots: Buffer[] = [EMPTY_TREE_ROOT];
  const tree = new MerkleAppender(0, []);
  for (const leaf of leaves) {
    for (const n of tree.append(leaf)) store.set(`${n.level}/${n.index}`, n.hash);
    roots.push(tree.root());
  }
  return { store, roots };
}
const reader = (store: Map<string, Buffer>) => (k: NodeKey): Buffer => {
  const h = store.get(`${k.level}/${k.index}`);
  if (!h) throw new Error(`node ${k.level}/${k.index} was not stored`);
  return h;
};
const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from(`entry-${i}`));

describe('RFC 9162 Merkle tree over ledger entries', () => {
  it('gives the roots of the Certificate Transparency reference vectors', () => {
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) =>
      Buffer.from(h, 'hex'),
    );
    const { roots } = grow(leaves);
    assert.equal(roots[1].toString('hex'), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    assert.equal(roots[8].toString('hex'), '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    assert.equal(EMPTY_TREE_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('keeps the root equal to the RFC definition at every size, and resumes from a stored right edge', () => {
    const leaves = leavesOf(70);
    const { store, roots } = grow(leaves);
    for (let n = 0; n <= leaves.length; n++) assert.ok(roots[n].equals(mth(leaves.slice(0, n))), `root of ${n}`);
    const edge: StoredNode[] = frontierKeys(37).map((k) => ({ ...k, hash: reader(store)(k) }));
    const resumed = new MerkleAppender(37, edge);
    for (const leaf of leaves.slice(37)) resumed.append(leaf);
    assert.ok(resumed.root().equals(roots[70]));
  });

  it("appends the writer's hex entry hashes in batches to the same tree, keeping the nodes of the levels asked", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 140 }), fc.nat({ max: 60 }), fc.nat({ max: 17 }), (raw, start, chunk) => {
        const entries = raw.map((b) => Buffer.from(b));
        const all = [...leavesOf(start).map((l) => createHash('sha256').update(l).digest()), ...entries];
        const { store, roots } = grow(all);
        const edge = frontierKeys(start).map((k) => ({ ...k, hash: reader(store)(k) }));
        const tree = new MerkleAppender(start, edge);
        const kept: StoredNode[] = [];
        const hex = entries.map((e) => e.toString('hex'));
        for (let at = 0; at < hex.length; at += chunk + 1) kept.push(...tree.appendHex(hex.slice(at, at + chunk + 1), (level) => level % 4 === 0));
        assert.ok(tree.root().equals(roots[all.length]));
        assert.equal(tree.size, all.length);
        const expected = [...store.entries()]
          .map(([key, hash]) => ({ level: Number(key.split('/')[0]), index: Number(key.split('/')[1]), hash }))
          .filter((n) => n.level % 4 === 0 && n.index * 2 ** n.level + 2 ** n.level > start);
        const asText = (ns: StoredNode[]): string[] => ns.map((n) => `${n.level}/${n.index}/${n.hash.toString('hex')}`).sort();
        assert.deepEqual(asText(kept), asText(expected));
      }),
      { numRuns: 200 },
    );
    const tree = new MerkleAppender(0, []);
    assert.throws(() => tree.appendHex(['ab'.repeat(31)], () => true), /64 hex digits/);
    assert.throws(() => tree.appendHex(['zz'.repeat(32)], () => true), /64 hex digits/);
    assert.throws(() => tree.appendHex([`${'ab'.repeat(31)}a!`], () => true), /64 hex digits/);
    assert.equal(tree.size, 0);
  });

  it('builds inclusion proofs equal to PATH(m, D[n]) that verify, from O(log n) stored nodes', () => {
    const leaves = leavesOf(300);
    const { store, roots } = grow(leaves);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (n, seed) => {
        const m = seed % n;
        const proof = buildInclusionProof(m, n, reader(store));
        assert.deepEqual(proof.map((b) => b.toString('hex')), path(m, leaves.slice(0, n)).map((b) => b.toString('hex')));
        assert.deepEqual(verifyInclusion(m, n, leafHash(leaves[m]), proof, roots[n]), { ok: true });
        assert.ok(inclusionProofKeys(m, n).length <= 2 * Math.ceil(Math.log2(n + 1)) ** 2 + 2);
      }),
      { numRuns: 300 },
    );
  });

  it('builds consistency proofs equal to PROOF(m, D[n]) that verify', () => {
    const leaves = leavesOf(200);
    const { store, roots } = grow(leaves);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const proof = buildConsistencyProof(m, n, reader(store));
        const expected = m === n ? [] : subproof(m, leaves.slice(0, n), true);
        assert.deepEqual(proof.map((x) => x.toString('hex')), expected.map((x) => x.toString('hex')));
        assert.deepEqual(verifyConsistency(m, n, roots[m], roots[n], proof), { ok: true });
        assert.equal(consistencyProofKeys(m, n).length >= proof.length, true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a proof for a changed entry, a wrong index, a truncated path or a rewritten past', () => {
    const leaves = leavesOf(50);
    const { store, roots } = grow(leaves);
    const proof = buildInclusionProof(17, 50, reader(store));
    assert.equal(verifyInclusion(17, 50, leafHash(Buffer.from('entry-X')), proof, roots[50]).ok, false);
    assert.equal(verifyInclusion(18, 50, leafHash(leaves[17]), proof, roots[50]).ok, false);
    assert.equal(verifyInclusion(17, 50, leafHash(leaves[17]), proof.slice(1), roots[50]).ok, false);
    assert.equal(verifyInclusion(50, 50, leafHash(leaves[17]), proof, roots[50]).ok, false);
    // A ledger whose entry 5 was rewritten after a checkpoint at 20 cannot prove it extends that checkpoint.
    const rewritten = [...leaves];
    rewritten[5] = Buffer.from('entry-5-rewritten');
    const forged = grow(rewritten);
    const consistency = buildConsistencyProof(20, 50, reader(forged.store));
    const verdict = verifyConsistency(20, 50, roots[20], forged.roots[50], consistency);
    assert.equal(verdict.ok, false);
    assert.match((verdict as { reason: string }).reason, /first root/);
  });

  it('needs only the nodes it lists: a proof reads nothing else', () => {
    const { store } = grow(leavesOf(1000));
    const keys = new Set(inclusionProofKeys(611, 997).map((k) => `${k.level}/${k.index}`));
    const guarded = (k: NodeKey): Buffer => {
      assert.ok(keys.has(`${k.level}/${k.index}`), `read ${k.level}/${k.index} outside the listed keys`);
      return reader(store)(k);
    };
    buildInclusionProof(611, 997, guarded);
    assert.ok(keys.size <= 20, `${keys.size} nodes for one proof`);
    assert.equal(rootKeys(997).length, 7); // 997 = 512 + 256 + 128 + 64 + 32 + 4 + 1
  });
});

describe('signed checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const body = {
    version: 1 as const,
    origin: 'test-ledger',
    treeSize: 3,
    rootHash: 'ab'.repeat(32),
    head: { seq: '3', hash: 'cd'.repeat(32) },
    time: '2026-12-07T12:00:00.000Z',
    keyId: 'ledger/test',
  };

  it('verifies with the ledger public key, and not after any field changed or with another key', () => {
    const cp = signCheckpoint(body, privateKey);
    assert.deepEqual(verifyCheckpoint(cp, ed25519PublicKey(rawPublicKey(publicKey))), { ok: true });
    assert.equal(verifyCheckpoint({ ...cp, treeSize: 4 }, publicKey).ok, false);
    assert.equal(verifyCheckpoint({ ...cp, rootHash: 'ef'.repeat(32) }, publicKey).ok, false);
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.equal(verifyCheckpoint(cp, other).ok, false);
    assert.match((verifyCheckpoint({ ...cp, head: null }, publicKey) as { reason: string }).reason, /malformed/);
  });
});
