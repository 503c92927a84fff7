import { hash } from 'node:crypto';
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

// A ledger_entries row as pg returns it (numeric and bigint columns as strings), with the columns the hash covers
// and the hashes themselves. `verify` and the API's proof read entries this way.
export interface LedgerEntryRow {
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
}

export const LEDGER_ENTRY_COLUMNS =
  'seq, account_id, delta_tpp, balance_tpp, cap_tpp, event_publisher, event_id, event_type, occurred_at, source_topic, ' +
  'source_partition, source_offset, policy_id, policy_version, prev_hash, hash';

// The hash a stored row should have: recomputed from its prev_hash and its content, to compare with row.hash.
export function recomputeEntryHash(row: LedgerEntryRow): Buffer {
  return entryHash(row.prev_hash, hashedEntryFromRow(row));
}

export function hashedEntryFromRow(row: LedgerEntryRow): HashedEntry {
  return {
    seq: BigInt(row.seq),
    accountId: row.account_id,
    deltaTpp: BigInt(row.delta_tpp),
    balanceTpp: BigInt(row.balance_tpp),
    capTpp: row.cap_tpp === null ? null : BigInt(row.cap_tpp),
    eventPublisher: row.event_publisher,
    eventId: row.event_id,
    eventType: row.event_type,
    occurredAt: utcMillisIso(row.occurred_at),
    sourceTopic: row.source_topic,
    sourcePartition: row.source_partition,
    sourceOffset: row.source_offset === null ? null : BigInt(row.source_offset),
    policyId: row.policy_id,
    policyVersion: row.policy_version,
  };
}

// sha256(previous hash || canonical JSON of the entry): changing, removing or reordering any entry changes
// every hash after it.
export function entryHash(prevHash: Buffer, entry: HashedEntry): Buffer {
  return Buffer.from(entryHashHex(prevHash.toString('hex'), entry), 'hex');
}

// The same hash with both hashes as hex, as the writer keeps them (COPY writes bytea as hex). The bytes hashed are
// assembled in one scratch buffer and hashed in one call (crypto.hash): about a third cheaper than a Hash object per
// entry. The digest is asked for as hex because on Node 20 a Buffer result costs more than the hashing itself
// (`node dist/bench/entry-hash.bench.js`: 1.5-3.0 us a call as a Buffer, 0.7-1.2 us as hex, on this machine).
let scratch = Buffer.allocUnsafe(4096);
export function entryHashHex(prevHashHex: string, entry: HashedEntry): string {
  const json = entryCanonicalJson(entry);
  const need = (prevHashHex.length >> 1) + json.length * 3;
  if (need > scratch.length) scratch = Buffer.allocUnsafe(need);
  const prevBytes = scratch.write(prevHashHex, 0, 'hex');
  if (prevBytes * 2 !== prevHashHex.length) throw new RangeError(`not a hash in hex: ${prevHashHex}`);
  const end = prevBytes + scratch.write(json, prevBytes, 'utf8');
  return hash('sha256', scratch.subarray(0, end), 'hex');
}

// canonicalJson(entry) written out by hand for the hot path (the writer hashes every entry): keys in sorted
// order, bigints as digits. A spec checks that both give the same text.
export function entryCanonicalJson(e: HashedEntry): string {
  const s = JSON.stringify;
  const big = (v: bigint | null) => (v === null ? 'null' : v.toString());
  return (
    `{"accountId":${s(e.accountId)},"balanceTpp":${big(e.balanceTpp)},"capTpp":${big(e.capTpp)},"deltaTpp":${big(e.deltaTpp)},` +
    `"eventId":${s(e.eventId)},"eventPublisher":${s(e.eventPublisher)},"eventType":${s(e.eventType)},"occurredAt":${s(e.occurredAt)},` +
    `"policyId":${s(e.policyId)},"policyVersion":${s(e.policyVersion)},"seq":${big(e.seq)},"sourceOffset":${big(e.sourceOffset)},` +
    `"sourcePartition":${e.sourcePartition === null ? 'null' : String(e.sourcePartition)},"sourceTopic":${e.sourceTopic === null ? 'null' : s(e.sourceTopic)}}`
  );
}

export function entryCanonicalJsonReference(entry: HashedEntry): string {
  return canonicalJson(entry);
}

export function utcMillisIso(occurredAt: string | Date): string {
  const ms = occurredAt instanceof Date ? occurredAt.getTime() : new Date(occurredAt).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${String(occurredAt)}`);
  return utcMillisIsoFromMs(ms);
}

// new Date(ms).toISOString(), several times cheaper for the writer, which writes one per recorded event: the date
// part is kept for the last day seen and the time of day is written from integers. Instants whose year is not
// written with four digits (before 0000 or after 9999) go to toISOString. A spec holds the two to each other.
const DAY_MS = 86_400_000;
let isoDay = NaN;
let isoDayPrefix = '';
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

export function utcMillisIsoFromMs(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    const midnight = new Date(day * DAY_MS).toISOString();
    if (midnight.length !== 24) return new Date(ms).toISOString();
    isoDay = day;
    isoDayPrefix = midnight.slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${isoDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(rest - s * 1000)}Z`;
}
