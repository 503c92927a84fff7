import type { QueryRunner } from 'typeorm';
import type { RecordResult } from '@app/contracts';
import type { SourceRecord } from './batch-types';

// The consumer offsets a batch reads and stores with its entries, per consumer group: topic\u0000partition keys.

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

// The next offset of each partition the records come from: topic\u0000partition -> the highest offset + 1.
export function nextOffsets(records: readonly SourceRecord[]): Map<string, bigint> {
  const next = new Map<string, bigint>();
  for (const r of records) {
    if (r.topic === null || r.partition === null || r.offset === null) continue;
    const k = partitionKey(r.topic, r.partition);
    const o = BigInt(r.offset) + 1n;
    const cur = next.get(k);
    if (cur === undefined || o > cur) next.set(k, o);
  }
  return next;
}

// Marks 'skipped' the records below the next offset `offsets` holds for their partition (topic\u0000partition): an
// earlier batch applied them already. Records come in runs of one partition, so the offset is looked up once a run.
export function markSkipped(records: readonly SourceRecord[], results: RecordResult[], offsets: ReadonlyMap<string, bigint>): void {
  if (offsets.size === 0) return;
  let runTopic: string | null = null;
  let runPartition: number | null = null;
  let runNext: bigint | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.topic !== runTopic || r.partition !== runPartition) {
      runTopic = r.topic;
      runPartition = r.partition;
      runNext = r.topic !== null && r.partition !== null ? offsets.get(partitionKey(r.topic, r.partition)) : undefined;
    }
    if (runNext !== undefined && r.offset !== null && BigInt(r.offset) < runNext) results[i] = { status: 'skipped' };
  }
}

// The stored next offset of each partition the records come from.
export async function loadOffsets(qr: QueryRunner, groupId: string, records: readonly SourceRecord[]): Promise<Map<string, bigint>> {
  const topics: string[] = [];
  const partitions: number[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (r.topic === null || r.partition === null) continue;
    const k = partitionKey(r.topic, r.partition);
    if (seen.has(k)) continue;
    seen.add(k);
    topics.push(r.topic);
    partitions.push(r.partition);
  }
  const out = new Map<string, bigint>();
  if (topics.length === 0) return out;
  const rows = (await qr.query(
    `SELECT o.topic, o.partition, o.next_offset FROM consumer_offsets o
       JOIN unnest($2::text[], $3::int[]) AS k(topic, partition) ON k.topic = o.topic AND k.partition = o.partition
      WHERE o.group_id = $1`,
    [groupId, topics, partitions],
  )) as Array<{ topic: string; partition: number; next_offset: string }>;
  for (const row of rows) out.set(partitionKey(row.topic, row.partition), BigInt(row.next_offset));
  return out;
}

// Stores the next offsets; an offset never moves back (GREATEST), whichever writer stores last.
export async function writeOffsets(qr: QueryRunner, groupId: string, next: ReadonlyMap<string, bigint>): Promise<void> {
  if (next.size === 0) return;
  const rows = [...next].map(([k, offset]) => {
    const [topic, partition] = k.split('\u0000');
    return { topic: topic!, partition: Number(partition), offset };
  });
  await qr.query(
    `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset, updated_at)
     SELECT $1, u.topic, u.partition, u.next_offset, now() FROM unnest($2::text[], $3::int[], $4::bigint[]) AS u(topic, partition, next_offset)
     ON CONFLICT (group_id, topic, partition) DO UPDATE
       SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
    [groupId, rows.map((x) => x.topic), rows.map((x) => x.partition), rows.map((x) => x.offset.toString())],
  );
}
