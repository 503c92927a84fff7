import { hashedEntryFromRow, LEDGER_ENTRY_COLUMNS, type LedgerEntryRow } from '@app/persistence';

export interface EntryRow extends LedgerEntryRow {
  recorded_at: Date;
}

export const ENTRY_COLUMNS = `${LEDGER_ENTRY_COLUMNS}, recorded_at`;

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

// Read through the same mapping as the hash, so an entry shows exactly the values its hash commits to.
export function toEntryView(row: EntryRow): EntryView {
  const e = hashedEntryFromRow(row);
  return {
    seq: e.seq,
    account: e.accountId,
    deltaTpp: e.deltaTpp,
    balanceTpp: e.balanceTpp,
    capTpp: e.capTpp,
    event: { publisher: e.eventPublisher, eventId: e.eventId, type: e.eventType },
    occurredAt: e.occurredAt,
    source: e.sourceTopic === null ? null : { topic: e.sourceTopic, partition: e.sourcePartition, offset: e.sourceOffset },
    policy: { id: e.policyId, version: e.policyVersion },
    prevHash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
    recordedAt: row.recorded_at.toISOString(),
  };
}
