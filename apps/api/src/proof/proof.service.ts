import { Injectable } from '@nestjs/common';
import { GENESIS_HASH, recomputeEntryHash } from '@app/persistence';
import { requireEntryAccess } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { PG_BIGINT_MAX } from '../common/sequence';
import { ReadDatabase, type Queryable } from '../database/read-database';
import { ENTRY_COLUMNS, toEntryView, type EntryRow, type EntryView } from '../accounts/entry.view';

export interface ChainHead {
  seq: bigint;
  hash: string;
  recordedEvents: bigint;
}

export interface ProofCheck {
  check: string;
  ok: boolean;
  expected: string | null;
  actual: string | null;
}

export interface EntryProof {
  entry: EntryView;
  head: ChainHead;
  checks: ProofCheck[];
  verified: boolean;
  proves: string;
  doesNotProve: string;
}

const hex = (b: Buffer | null | undefined): string | null => (b ? b.toString('hex') : null);

async function readHead(db: Queryable): Promise<ChainHead> {
  const [row] = await db.query<{ seq: string; hash: Buffer; event_seq: string }>('SELECT seq, hash, event_seq FROM ledger_head WHERE id = 1');
  if (!row) throw ApiError.notFound('ledger head (the schema has not been migrated)');
  return { seq: BigInt(row.seq), hash: row.hash.toString('hex'), recordedEvents: BigInt(row.event_seq) };
}

@Injectable()
export class ProofService {
  constructor(private readonly db: ReadDatabase) {}

  head(): Promise<ChainHead> {
    return readHead(this.db);
  }

  // A bounded inclusion check of one entry: at most four rows are read (the entry, its neighbours and the head),
  // whatever the size of the ledger. Verifying the whole chain is the CLI's `verify`, not an HTTP request.
  async proveEntry(principal: Principal, seq: bigint): Promise<EntryProof> {
    return this.db.snapshot(async (db) => {
      const rows = await db.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq BETWEEN $1 AND $2 ORDER BY seq`,
        [(seq - 1n).toString(), (seq < PG_BIGINT_MAX ? seq + 1n : seq).toString()],
      );
      const entry = rows.find((r) => BigInt(r.seq) === seq);
      if (!entry) throw ApiError.notFound(`ledger entry ${seq}`);
      requireEntryAccess(principal, seq, { accountId: entry.account_id, publisher: entry.event_publisher });
      const previous = rows.find((r) => BigInt(r.seq) === seq - 1n);
      const next = rows.find((r) => BigInt(r.seq) === seq + 1n);
      const head = await readHead(db);
      const [headEntry] =
        head.seq === seq
          ? [entry]
          : head.seq === seq + 1n && next
            ? [next]
            : await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq = $1`, [head.seq.toString()]);

      const checks: ProofCheck[] = [];
      const recomputed = recomputeEntryHash(entry);
      checks.push({ check: 'entry hash = sha256(prev_hash || canonical entry)', ok: recomputed.equals(entry.hash), expected: hex(recomputed), actual: hex(entry.hash) });
      if (seq === 1n) {
        checks.push({ check: 'first entry links to the genesis hash', ok: entry.prev_hash.equals(GENESIS_HASH), expected: hex(GENESIS_HASH), actual: hex(entry.prev_hash) });
      } else {
        checks.push({
          check: 'prev_hash = hash of the previous entry',
          ok: previous !== undefined && entry.prev_hash.equals(previous.hash),
          expected: hex(previous?.hash),
          actual: hex(entry.prev_hash),
        });
      }
      if (next) {
        const nextRecomputed = recomputeEntryHash(next);
        checks.push({ check: 'next entry prev_hash = this entry hash', ok: next.prev_hash.equals(entry.hash), expected: hex(entry.hash), actual: hex(next.prev_hash) });
        checks.push({ check: 'next entry hash recomputes', ok: nextRecomputed.equals(next.hash), expected: hex(nextRecomputed), actual: hex(next.hash) });
      } else {
        checks.push({ check: 'entry is the head of the chain', ok: head.seq === seq, expected: seq.toString(), actual: head.seq.toString() });
      }
      checks.push({ check: 'head seq covers the entry', ok: head.seq >= seq, expected: `>= ${seq}`, actual: head.seq.toString() });
      checks.push({
        check: 'head hash = hash of the entry at head seq',
        ok: headEntry !== undefined && headEntry.hash.toString('hex') === head.hash,
        expected: head.hash,
        actual: hex(headEntry?.hash),
      });
      return {
        entry: toEntryView(entry),
        head,
        checks,
        verified: checks.every((c) => c.ok),
        proves:
          'The entry content (amounts, account, event, time, source, policy) is exactly what its hash commits to; ' +
          'it is linked to its neighbours in the hash chain, and the published head (seq, hash) is the hash of the ' +
          'latest entry. Anyone who kept an earlier head hash, or re-runs `verify` over the chain, can detect a ' +
          'change to this entry, because every later hash depends on it.',
        doesNotProve:
          'That the entries between this one and the head are intact: this check reads only the entry, its ' +
          'neighbours and the head. A full verification walks the chain from genesis (the CLI `verify` command).',
      };
    });
  }
}
