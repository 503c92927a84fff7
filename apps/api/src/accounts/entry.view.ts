export interface EntryRow {
  seq: string;
  account_id: string;
  delta_tpp: string;
  balance_tpp: string;
  cap_tpp: string | null;
  event_publisher: string;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  source_topic: string | null;
  source_partition: number | null;
  source_offset: string | null;
  policy_id: string;
  policy_version: string;
  prev_hash: Buffer;
  hash: Buffer;
  recorded_at: Date;
}

export const ENTRY_COLUMNS =
  'seq, account_id, delta_tpp, balance_tpp, cap_tpp, event_publisher, event_id, event_type, occurred_at, source_topic, ' +
  'source_partition, source_offset, policy_id, policy_version, prev_hash, hash, recorded_at';

export interface EntryView {
  seq: bigint;
  account: string;
  deltaTpp: bigint;
  balanceTpp: bigint;
  capTpp: bigint | null;
  event: { publisher: string; eventId: string; type: string };
  occurredAt: string;
  source: { topic: string; partition: number | null; offset: bigint | null } | null;
  policy: { id: string; version: string };
  prevHash: string;
  hash: string;
  recordedAt: string;
}

export function toEntryView(row: EntryRow): EntryView {
  return {
    seq: BigInt(row.seq),
    account: row.account_id,
    deltaTpp: BigInt(row.delta_tpp),
    balanceTpp: BigInt(row.balance_tpp),
    capTpp: row.cap_tpp === null ? null : BigInt(row.cap_tpp),
    event: { publisher: row.event_publisher, eventId: row.event_id, type: row.event_type },
    occurredAt: row.occurred_at.toISOString(),
    source:
      row.source_topic === null
        ? null
        : {
            topic: row.source_topic,
            partition: row.source_partition,
            offset: row.source_offset === null ? null : BigInt(row.source_offset),
          },
    policy: { id: row.policy_id, version: row.policy_version },
    prevHash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
    recordedAt: row.recorded_at.toISOString(),
  };
}
