import { createHash } from 'node:crypto';
import { canonicalJson } from '@app/contracts';

// What one ledger entry commits to. The writer and `verify` both build this from the same columns, so the
// chain can be recomputed from the table alone.
export interface HashedEntry {
  seq: bigint;
  accountId: string;
  deltaTpp: bigint;
  balanceTpp: bigint;
  capTpp: bigint | null;
  eventPublisher: string;
  eventId: string;
  eventType: string;
  // ISO 8601 in UTC with milliseconds, exactly as stored (the writer stores this string, not the event's text).
  occurredAt: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: bigint | null;
  policyId: string;
  policyVersion: string;
}

export const GENESIS_HASH: Buffer = Buffer.alloc(32);

// sha256(previous hash || canonical JSON of the entry): changing, removing or reordering any entry changes
// every hash after it.
export function entryHash(prevHash: Buffer, entry: HashedEntry): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalJson(entry), 'utf8').digest();
}

export function utcMillisIso(occurredAt: string | Date): string {
  const date = occurredAt instanceof Date ? occurredAt : new Date(occurredAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${String(occurredAt)}`);
  return date.toISOString();
}
