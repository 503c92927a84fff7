import { Injectable } from '@nestjs/common';
import {
  checkpointAt,
  consistencyDocument,
  entryRowsOf,
  firstCheckpointCovering,
  inclusionDocument,
  latestCheckpoint,
  type ConsistencyProofDocument,
  type InclusionProofDocument,
  type LedgerEntryRow,
} from '@app/persistence';
import type { SignedCheckpoint } from '@app/transparency';
import { canReadEntry, ownsEvent, requireEntryAccess } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { ReadDatabase, type Queryable } from '../database/read-database';

export interface EventInclusion {
  checkpoint: SignedCheckpoint;
  proofs: InclusionProofDocument[];
}

const CHECKPOINT_PAGE_ROWS_MAX = 100;

// Signed checkpoints and RFC 9162 proofs against them. Each answer is a document `ledger verify-proof` checks with
// the ledger's public key alone; each is O(log n) keyed reads, whatever the size of the ledger.
@Injectable()
export class TransparencyService {
  constructor(private readonly db: ReadDatabase) {}

  async checkpoints(beforeTreeSize: bigint | null, limit: number): Promise<SignedCheckpoint[]> {
    const rows = await this.db.query<{ body: SignedCheckpoint }>(
      `SELECT body FROM checkpoints WHERE ($1::bigint IS NULL OR tree_size < $1::bigint) ORDER BY tree_size DESC LIMIT $2`,
      [beforeTreeSize?.toString() ?? null, Math.min(limit, CHECKPOINT_PAGE_ROWS_MAX)],
    );
    return rows.map((r) => r.body);
  }

  async latest(): Promise<SignedCheckpoint> {
    const cp = await latestCheckpoint(this.db);
    if (cp === null) throw ApiError.notFound('checkpoint (the ledger has signed none yet)');
    return cp;
  }

  async checkpoint(treeSize: bigint): Promise<SignedCheckpoint> {
    const cp = await checkpointAt(this.db, treeSize);
    if (cp === null) throw ApiError.notFound(`checkpoint of tree size ${treeSize}`);
    return cp;
  }

  // Against the checkpoint of `treeSize`, or the first that covers the entry.
  async entryInclusion(principal: Principal, seq: bigint, treeSize: bigint | null): Promise<InclusionProofDocument> {
    return this.db.snapshot(async (db) => {
      const [row] = await entryRowsOf(db, [seq]);
      if (row === undefined) throw ApiError.notFound(`ledger entry ${seq}`);
      // The proof carries the entry (its balance, and a hash that commits to it): the entry's visibility applies.
      requireEntryAccess(principal, seq, { accountId: row.account_id, publisher: row.event_publisher });
      return inclusionDocument(db, row, await this.covering(db, seq, treeSize));
    });
  }

  // Every entry of one event, against one checkpoint that covers them all.
  async eventInclusion(principal: Principal, publisher: string, eventId: string, treeSize: bigint | null): Promise<EventInclusion> {
    return this.db.snapshot(async (db) => {
      const rows = await db.query<LedgerEntryRow>(
        `SELECT seq, account_id, delta_tpp, balance_tpp, cap_tpp, event_publisher, event_id, event_type, occurred_at, source_topic,
                source_partition, source_offset, policy_id, policy_version, prev_hash, hash
           FROM ledger_entries WHERE event_publisher = $1 AND event_id = $2 ORDER BY seq`,
        [publisher, eventId],
      );
      // An event the caller may not see answers as one that does not exist, so ids cannot be probed.
      if (rows.length === 0 || !ownsEvent(principal, publisher)) throw ApiError.notFound(`entries of event ${publisher}/${eventId}`);
      const checkpoint = await this.covering(db, BigInt(rows[rows.length - 1]!.seq), treeSize);
      const proofs: InclusionProofDocument[] = [];
      // Only the entries the caller may read (auth/access-policy.ts): an own shipment's entry on an NVEU or LPP
      // account carries that account's balance.
      for (const row of rows) {
        if (canReadEntry(principal, { accountId: row.account_id, publisher: row.event_publisher })) proofs.push(await inclusionDocument(db, row, checkpoint));
      }
      return { checkpoint, proofs };
    });
  }

  async consistency(from: bigint, to: bigint): Promise<ConsistencyProofDocument> {
    if (from > to) throw ApiError.invalid([{ field: 'from', message: 'must not be larger than to' }]);
    return this.db.snapshot(async (db) => {
      const [a, b] = [await checkpointAt(db, from), await checkpointAt(db, to)];
      if (a === null) throw ApiError.notFound(`checkpoint of tree size ${from}`);
      if (b === null) throw ApiError.notFound(`checkpoint of tree size ${to}`);
      return consistencyDocument(db, a, b);
    });
  }

  private async covering(db: Queryable, seq: bigint, treeSize: bigint | null): Promise<SignedCheckpoint> {
    if (treeSize !== null) {
      if (treeSize < seq) throw ApiError.invalid([{ field: 'treeSize', message: `checkpoint ${treeSize} is older than entry ${seq}` }]);
      const cp = await checkpointAt(db, treeSize);
      if (cp === null) throw ApiError.notFound(`checkpoint of tree size ${treeSize}`);
      return cp;
    }
    const cp = await firstCheckpointCovering(db, seq);
    if (cp === null) throw ApiError.notFound(`checkpoint covering entry ${seq} (the next one is signed within the checkpoint interval)`);
    return cp;
  }
}
