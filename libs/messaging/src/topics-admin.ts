import type { Admin } from 'kafkajs';

// Low and high watermarks of every partition of `topic`, as bigint.
export async function topicWatermarks(admin: Admin, topic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}
