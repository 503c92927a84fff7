import type { DataSource } from 'typeorm';

export interface OutboxCheckpoint {
  treeSize: bigint;
  origin: string;
  // The signed checkpoint, JSON text as stored.
  body: string;
}

// The checkpoints table is also the outbox of ledger.checkpoints.v1: the ledger inserts a checkpoint in the batch
// transaction that makes it, the relay publishes in tree order and then marks it published.
export class CheckpointOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async unpublished(limitRows: number): Promise<OutboxCheckpoint[]> {
    const rows = (await this.dataSource.query(
      `SELECT tree_size, body->>'origin' AS origin, body::text AS body FROM checkpoints WHERE published_at IS NULL ORDER BY tree_size LIMIT $1`,
      [limitRows],
    )) as Array<{ tree_size: string; origin: string; body: string }>;
    return rows.map((r) => ({ treeSize: BigInt(r.tree_size), origin: r.origin, body: r.body }));
  }

  async markPublished(treeSizes: readonly bigint[]): Promise<void> {
    if (treeSizes.length === 0) return;
    await this.dataSource.query(`UPDATE checkpoints SET published_at = now() WHERE tree_size = ANY($1::bigint[]) AND published_at IS NULL`, [
      treeSizes.map(String),
    ]);
  }
}
