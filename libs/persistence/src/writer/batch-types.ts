import type { CheckpointSigning } from '../merkle/ledger-tree';
import type { BatchResult } from '@app/contracts';
import type { Authenticity, Movement, StateEffect } from '@app/policy';
import type { HashedEntry } from '../entry-hash';

// One consumed record. topic/partition/offset are null when the record does not come from Kafka (tests, tools);
// such records are judged the same way but leave no consumer offset behind.
export interface SourceRecord {
  topic: string | null;
  partition: number | null;
  offset: string | null;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, unknown>;
  // decodeEvent(pack, value, {topic, key}), when the caller computed it ahead (it is stateless); decoded here otherwise.
  prepared?: unknown;
}

// R: the records the caller handed over (the batch consumer's own type), given back to beforeCommit as they came.
export interface BatchHooks<R extends SourceRecord = SourceRecord> {
  // Runs inside the transaction after every write and before COMMIT. The ledger uses it to put rejections on the
  // DLQ: if the process dies before COMMIT, the batch is judged again and the DLQ gets the record again (a
  // duplicate, which is acceptable); if it dies after COMMIT, the DLQ already has it. Never lost.
  beforeCommit?: (result: BatchResult, records: readonly R[]) => Promise<void>;
  // Called with true when the writer starts waiting for Postgres with nothing of its own to compute (the state
  // load, the last COPY, the closing statements and COMMIT), and with false when it resumes or the transaction
  // ends. The ledger decodes the next records in these windows.
  waitingForDatabase?: (waiting: boolean) => void;
}

export interface LedgerWriterOptions {
  // Consumer offsets are stored per Kafka consumer group.
  groupId: string;
  // How checkpoints of the Merkle tree are signed and how often; null or absent: the tree is kept, no checkpoints.
  checkpoints?: CheckpointSigning | null;
  // Signature enforcement and the regulator's trust anchors (default: optional, none).
  authenticity?: Authenticity;
}

// An entry judged and hashed, waiting for its COPY.
export interface PendingEntry extends HashedEntry {
  // both in hex, as COPY writes bytea
  prevHash: string;
  hash: string;
}

// An account the batch moved: its last movement, and the entry and instant that date its row.
export interface TouchedAccount {
  movement: Movement;
  lastSeq: bigint | null;
  lastOccurredAt: string | null;
  atMs: number;
}

// A recorded event's row in the inbox, waiting for its COPY.
export interface InboxRow {
  r: SourceRecord;
  publisher: string;
  eventId: string;
  // null: computed from the stored payload when needed (see the inbox-digest-on-demand migration)
  digest: string | null;
  type: string;
  occurredAt: string;
  recordedSeq: bigint;
  // The event's entries: firstEntrySeq .. firstEntrySeq + entryCount - 1 (see the inbox-entry-range migration).
  firstEntrySeq: bigint | null;
  entryCount: number;
}

// A change of the ledger's standing facts (a VEU grant, a G2G arrangement, an installed base), with the event that
// made it.
export interface RecordedEffect {
  effect: StateEffect;
  recordedSeq: bigint;
  occurredAt: string;
}

// The ledger's head: the last entry's seq and hash, and the last recorded event's seq.
export interface Head {
  seq: bigint;
  hash: string;
  eventSeq: bigint;
}
