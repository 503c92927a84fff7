import type { Admin } from 'kafkajs';

// Creates the topics that are missing, with the partition counts of the contract (scripts/kafka.sh does the same
// for a local broker; this is for environments where the services create their own).
export async function ensureTopics(admin: Admin, partitionsByTopic: Readonly<Record<string, number>>): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.entries(partitionsByTopic).filter(([name]) => !existing.has(name));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: -1 })),
  });
}

// Low and high watermarks of every partition of `topic`, as bigint.
export async function topicWatermarks(admin: Admin, topic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}
