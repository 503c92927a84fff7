import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MerkleAppender, type StoredNode } from '@app/transparency';

// The RFC 9162 Merkle tree over ledger entries, and the signed checkpoints made from it.
// merkle_nodes holds the complete perfect subtrees of 2^level entries that start at entry idx * 2^level + 1, for
// every fourth level (4, 8, ...): about one row per 15 entries. Level 0 (a leaf) is H(0x00 || hash) of
// ledger_entries.hash at seq = idx + 1, so it is not stored twice; the levels between are folded from the stored
// level below. Any inclusion or consistency proof then reads O(log n) rows by key.
// Both tables are append-only like the entries.
export class MerkleTree1765497600000 implements MigrationInterface {
  name = 'MerkleTree1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merkle_nodes (
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TRIGGER merkle_nodes_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON merkle_nodes
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_change()`);
    await q.query(`
      CREATE TABLE checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        head_seq bigint NOT NULL,
        head_hash bytea NOT NULL,
        made_at timestamptz NOT NULL,
        key_id text NOT NULL,
        -- the signed checkpoint exactly as published (libs/transparency SignedCheckpoint)
        body jsonb NOT NULL,
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX checkpoints_unpublished_idx ON checkpoints (tree_size) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TRIGGER checkpoints_never_removed
        BEFORE DELETE OR TRUNCATE ON checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_change()`);
    await q.query(`
      CREATE FUNCTION checkpoints_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (to_jsonb(NEW) - 'published_at') IS DISTINCT FROM (to_jsonb(OLD) - 'published_at')
           OR (OLD.published_at IS NOT NULL AND NEW.published_at IS DISTINCT FROM OLD.published_at) THEN
          RAISE EXCEPTION 'checkpoints are immutable: only an unset published_at may be set'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER checkpoints_immutable
        BEFORE UPDATE ON checkpoints
        FOR EACH ROW EXECUTE FUNCTION checkpoints_refuse_rewrite()`);
    await backfill(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS checkpoints`);
    await q.query(`DROP FUNCTION IF EXISTS checkpoints_refuse_rewrite()`);
    await q.query(`DROP TABLE IF EXISTS merkle_nodes`);
  }
}

// A ledger recorded before this migration gets its tree now, page by page in seq order.
async function backfill(q: QueryRunner): Promise<void> {
  const pageRows = 50_000;
  const tree = new MerkleAppender(0, []);
  for (;;) {
    const rows = (await q.query(`SELECT seq, hash FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2`, [
      String(tree.size),
      pageRows,
    ])) as Array<{ seq: string; hash: Buffer }>;
    if (rows.length === 0) return;
    const nodes: StoredNode[] = [];
    for (const row of rows) {
      if (BigInt(row.seq) !== BigInt(tree.size + 1)) throw new Error(`ledger_entries has a gap before seq ${row.seq}`);
      // Every fourth level, as the writer stores them (merkle/merkle-store.ts).
      for (const n of tree.append(row.hash)) if (n.level > 0 && n.level % 4 === 0) nodes.push(n);
    }
    await q.query(
      `INSERT INTO merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
      [nodes.map((n) => n.level), nodes.map((n) => String(n.index)), nodes.map((n) => n.hash)],
    );
  }
}
