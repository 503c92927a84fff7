import type { DataSource } from 'typeorm';

export interface StoredOffset {
  topic: string;
  partition: number;
  nextOffset: bigint;
}

// Where the ledger resumes: the offsets written in the same transaction as the entries they produced.
export async function loadConsumerOffsets(dataSource: DataSource, groupId: string, topics: readonly string[]): Promise<StoredOffset[]> {
  const rows = (await dataSource.query(
    `SELECT topic, partition, next_offset FROM consumer_offsets WHERE group_id = $1 AND topic = ANY($2::text[])`,
    [groupId, [...topics]],
  )) as Array<{ topic: string; partition: number; next_offset: string }>;
  return rows.map((r) => ({ topic: r.topic, partition: r.partition, nextOffset: BigInt(r.next_offset) }));
}
