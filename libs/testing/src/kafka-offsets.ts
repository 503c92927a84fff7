// Where the ledger stands on the (shared) input topics, for specs and benchmarks that wait for it.
import type { Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { INPUT_TOPICS } from '@app/contracts';

// Makes a fresh ledger database start at the current end of the (shared) input topics, as if it had consumed
// everything before: the ledger resumes from Postgres, so the spec sees only the events published after this.
export async function startAtEndOfTopics(admin: Admin, ds: DataSource, groupId: string): Promise<void> {
  for (const topic of INPUT_TOPICS) {
    const offsets = await admin.fetchTopicOffsets(topic);
    for (const o of offsets) {
      await ds.query(`INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)`, [
        groupId,
        topic,
        o.partition,
        o.high,
      ]);
    }
  }
}

// The end of every input partition now, keyed "topic/partition". Taken right after a spec published its events, it
// is what the ledger must reach to have judged them all, whatever other specs publish afterwards.
export async function inputEndOffsets(admin: Admin): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of INPUT_TOPICS) {
    for (const o of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${o.partition}`, BigInt(o.high));
  }
  return ends;
}

// True once the ledger has stored offsets at (or past) `ends` on every input partition (by default, the current end).
export async function caughtUp(admin: Admin, ds: DataSource, groupId: string, ends?: ReadonlyMap<string, bigint>): Promise<boolean> {
  const target = ends ?? (await inputEndOffsets(admin));
  const rows = (await ds.query(`SELECT topic, partition, next_offset FROM consumer_offsets WHERE group_id = $1`, [groupId])) as Array<{
    topic: string;
    partition: number;
    next_offset: string;
  }>;
  const stored = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
  for (const [partition, end] of target) if ((stored.get(partition) ?? 0n) < end) return false;
  return true;
}
