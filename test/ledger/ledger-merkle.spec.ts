import type { EntityManager } from 'typeorm';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  consistencyDocument,
  entryHashHex,
  entryRowsOf,
  firstCheckpointCovering,
  hashedEntryFromRow,
  inclusionDocument,
  latestCheckpoint,
  LedgerWriter,
  verifyLedger,
  verifyProofDocument,
  type LedgerEntryRow,
} from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { MerkleAppender, type SignedCheckpoint } from '@app/transparency';
import { createLedgerDatabase, generateFeed, sourceRecords, type LedgerDatabase } from '@app/testing';

// The ledger keeps an RFC 9162 tree over its entries in the batch transaction and signs checkpoints of it; proofs
// built from the database verify with the public key alone, and a rewrite of history (even one that recomputes the
// hash chain, as a superuser with the triggers off) fails both `verify` and the proofs against checkpoints kept
// from before it.
describe('Merkle tree, signed checkpoints and proofs', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  let db: LedgerDatabase;
  let kept: SignedCheckpoint[];

  async function entries(): Promise<LedgerEntryRow[]> {
    return (await db.ds.query(`SELECT * FROM ledger_entries ORDER BY seq`)) as LedgerEntryRow[];
  }

  before(async () => {
    db = await createLedgerDatabase('merkle');
    const writer = new LedgerWriter(db.ds, loadPolicyPack(), {
      groupId: 'merkle-test',
      checkpoints: { origin: 'merkle-test', keyId: 'ledger/test', privateKey, everyEntries: 100, everyMs: 3_600_000 },
    });
    const lines = await generateFeed(1_500, 7);
    const batches: string[][] = [];
    for (let i = 0; i < lines.length; i += 150) batches.push(lines.slice(i, i + 150));
    // Handed over without waiting, so batches are pipelined (judged from the batch before while it is written).
    await Promise.all(batches.map((b) => writer.processBatch(sourceRecords(b))));
    kept = ((await db.ds.query(`SELECT body FROM checkpoints ORDER BY tree_size`)) as Array<{ body: SignedCheckpoint }>).map((r) => r.body);
  });
  after(async () => db?.close());

  it('signs a checkpoint each time the tree passes a multiple of the setting, with the root of exactly its entries', async () => {
    const rows = await entries();
    assert.ok(rows.length > 1_000, `${rows.length} entries`);
    const tree = new MerkleAppender(0, []);
    const roots = new Map<number, string>();
    for (const r of rows) {
      tree.append(r.hash);
      roots.set(tree.size, tree.root().toString('hex'));
    }
    // A batch that passes a multiple of 100 ends with a checkpoint (a batch here holds about 150 entries).
    for (let m = 100; m <= rows.length; m += 100) {
      assert.ok(kept.some((cp) => cp.treeSize >= m && cp.treeSize < m + 300), `no checkpoint after the tree passed ${m}`);
    }
    assert.equal(kept[kept.length - 1]!.treeSize, rows.length);
    for (const cp of kept) {
      assert.equal(cp.rootHash, roots.get(cp.treeSize), `root of checkpoint ${cp.treeSize}`);
      assert.equal(cp.head.hash, rows[cp.treeSize - 1]!.hash.toString('hex'));
    }
    const report = await verifyLedger(db.ds, { ledgerKey: publicKey });
    assert.deepEqual(report.problems, []);
  });

  it('serves inclusion proofs of any entry and consistency proofs between checkpoints that verify offline', async () => {
    const last = (await latestCheckpoint(db.ds))!;
    for (const seq of [1n, 2n, 99n, 100n, 101n, BigInt(last.treeSize)]) {
      const [row] = await entryRowsOf(db.ds, [seq]);
      const first = (await firstCheckpointCovering(db.ds, seq))!;
      for (const cp of [first, last]) {
        const verdict = verifyProofDocument(await inclusionDocument(db.ds, row!, cp), publicKey);
        assert.equal(verdict.ok, true, `entry ${seq} in ${cp.treeSize}: ${JSON.stringify(verdict)}`);
      }
    }
    const verdict = verifyProofDocument(await consistencyDocument(db.ds, kept[0]!, last), publicKey);
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.match(JSON.stringify(verifyProofDocument(await consistencyDocument(db.ds, kept[0]!, last), other)), /does not verify/);
  });

  it('a superuser who changes an entry with the triggers off is caught by verify and by the proofs', async () => {
    const target = 150n;
    const [original] = await entryRowsOf(db.ds, [target]);
    await db.tamper(async (m: EntityManager) => {
      await m.query(`UPDATE ledger_entries SET delta_tpp = delta_tpp + 1000 WHERE seq = $1`, [target.toString()]);
    });
    const report = await verifyLedger(db.ds, { ledgerKey: publicKey });
    assert.equal(report.ok, false);
    assert.equal(report.firstBrokenSeq, String(target));
    const [changed] = await entryRowsOf(db.ds, [target]);
    const doc = await inclusionDocument(db.ds, changed!, (await latestCheckpoint(db.ds))!);
    assert.match(JSON.stringify(verifyProofDocument(doc, publicKey)), /does not hash to its hash: it was changed/);
    assert.ok(original);
  });

  it('a rewrite that recomputes the hash chain and the tree still fails against the checkpoints kept from before', async () => {
    const rows = await entries();
    // Recompute every hash from the changed entry on, and the whole tree, as an attacker with every power would.
    let prev = rows[0]!.prev_hash.toString('hex');
    const tree = new MerkleAppender(0, []);
    const nodes: Array<{ level: number; index: number; hash: Buffer }> = [];
    await db.tamper(async (m: EntityManager) => {
      for (const r of rows) {
        const hash = entryHashHex(prev, hashedEntryFromRow({ ...r, prev_hash: Buffer.from(prev, 'hex') }));
        if (hash !== r.hash.toString('hex') || prev !== r.prev_hash.toString('hex')) {
          await m.query(`UPDATE ledger_entries SET prev_hash = decode($1, 'hex'), hash = decode($2, 'hex') WHERE seq = $3`, [prev, hash, r.seq]);
        }
        for (const n of tree.append(Buffer.from(hash, 'hex'))) if (n.level > 0) nodes.push(n);
        prev = hash;
      }
      await m.query(`DELETE FROM merkle_nodes`);
      await m.query(`INSERT INTO merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
        nodes.map((n) => n.level),
        nodes.map((n) => String(n.index)),
        nodes.map((n) => n.hash),
      ]);
      await m.query(`UPDATE ledger_head SET hash = decode($1, 'hex') WHERE id = 1`, [prev]);
    });
    const report = await verifyLedger(db.ds, { ledgerKey: publicKey });
    assert.equal(report.ok, false);
    assert.ok(report.problems.some((p) => /checkpoint \d+: its root is not the root/.test(p)), report.problems.join('\n'));
    assert.ok(!report.problems.some((p) => /hash does not match|prev_hash/.test(p)), 'the chain itself was made consistent');
    // The regulator's copies of the checkpoints before the rewrite: the ledger cannot prove it extends them.
    const before = kept[0]!;
    const after = kept[kept.length - 1]!;
    const doc = await consistencyDocument(db.ds, before, after);
    assert.equal(verifyProofDocument(doc, publicKey).ok, false);
    const [row] = await entryRowsOf(db.ds, [200n]);
    assert.equal(verifyProofDocument(await inclusionDocument(db.ds, row!, after), publicKey).ok, false);
  });
});
