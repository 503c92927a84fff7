import type { ComplianceAlertV1, RejectionCode } from './events';

// What judging and storing one batch of consumed records came to. The ledger writer makes it; the batch consumer
// reads it to put rejections on the DLQ, log the alerts and count outcomes. One type for both, so neither casts.
export type RecordResult =
  | { status: 'recorded'; publisher: string; eventId: string; recordedSeq: bigint; entries: number; alerts: ComplianceAlertV1[] }
  | { status: 'duplicate'; publisher: string; eventId: string }
  | { status: 'rejected'; code: RejectionCode; message: string; publisher: string | null; eventId: string | null }
  // The record's offset is below the consumer offset stored in Postgres: an earlier batch applied it already.
  | { status: 'skipped' };

export interface BatchResult {
  // results[i] belongs to records[i].
  results: RecordResult[];
  recorded: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  entries: number;
  alerts: ComplianceAlertV1[];
  headSeq: bigint;
  // Whether the batch was judged while the batch before it was still being written (the writer's pipelining).
  pipelined: boolean;
  // Milliseconds the writer spent on the Merkle tree for this batch: hashing its entries into the tree (CPU), and
  // storing the completed nodes and any checkpoint (statements). Absent for batches that appended no entry.
  merkleMs?: { hash: number; store: number };
}
