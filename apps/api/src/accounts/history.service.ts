import { Inject, Injectable } from '@nestjs/common';
import type { PolicyPack } from '@app/policy';
import { requireAccountAccess } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { encodeCursor } from '../common/cursor';
import { ReadDatabase, type Queryable } from '../database/read-database';
import { POLICY_PACK } from '../policy-pack.provider';
import { accountRefOf } from './account-ref';
import { ENTRY_COLUMNS, toEntryView, type EntryRow, type EntryView } from './entry.view';
import { capInForceAt, EVENT_AS_OF_SQL, EVENT_AS_RECORDED_SQL, EVENT_SERIES_SQL, RECORDED_AS_OF_SQL, type AsOfRow } from './history.clocks';
import type { AsOfQuery, BalanceSeriesQuery, EntryPageQuery } from './history.queries';

export interface EntryPage {
  account: string;
  items: EntryView[];
  limit: number;
  nextCursor: string | null;
}

export type AsOfClock = 'event' | 'recorded' | 'event-as-recorded';

export interface BalanceAsOf {
  account: string;
  // Which clock answered: event time (`at`), the ledger's recorded time (`asRecordedAt`), or both.
  clock: AsOfClock;
  at: string | null;
  asRecordedAt: string | null;
  balanceTpp: bigint;
  capTpp: bigint | null;
  utilization: number | null;
  // How many of the account's entries the balance adds up (null on the recorded clock alone, where the balance is
  // the running balance of one entry).
  entriesCounted: bigint | null;
  // With asRecordedAt: the ledger as known at that moment ends at this seq (0: it held nothing yet).
  knownThroughSeq: bigint | null;
  // The entry the answer points at: on the event clock the latest movement dated at or before `at` (ties broken by
  // ledger order), on the recorded clock the account's last entry in the ledger as known at `asRecordedAt`.
  entry: { seq: bigint; occurredAt: string; recordedAt: string; event: { publisher: string; eventId: string } } | null;
}

export interface BalancePoint {
  at: string;
  balanceTpp: bigint;
  capTpp: bigint | null;
}

export interface BalanceSeries {
  account: string;
  from: string | null;
  to: string | null;
  points: BalancePoint[];
}

function utilization(balance: bigint, cap: bigint | null): number | null {
  if (cap === null || cap === 0n) return null;
  return Number(balance) / Number(cap);
}

@Injectable()
export class HistoryService {
  constructor(
    private readonly db: ReadDatabase,
    @Inject(POLICY_PACK) private readonly pack: PolicyPack,
  ) {}

  async entries(principal: Principal, accountId: string, q: EntryPageQuery): Promise<EntryPage> {
    this.requireVisible(principal, accountId);
    return this.db.snapshot(async (db) => {
      await this.requireAccount(db, accountId);
      const params: unknown[] = [accountId];
      let keyset = '';
      if (q.afterSeq !== null) {
        params.push(q.afterSeq.toString());
        keyset = ` AND seq ${q.order === 'asc' ? '>' : '<'} $2`;
      }
      params.push(q.limit + 1);
      const rows = await db.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE account_id = $1${keyset}
          ORDER BY seq ${q.order === 'asc' ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        account: accountId,
        items: page.map(toEntryView),
        limit: q.limit,
        nextCursor: rows.length > q.limit && last ? encodeCursor([q.order, last.seq]) : null,
      };
    });
  }

  async asOf(principal: Principal, accountId: string, q: AsOfQuery): Promise<BalanceAsOf> {
    this.requireVisible(principal, accountId);
    const clock: AsOfClock = q.at === null ? 'recorded' : q.asRecordedAt === null ? 'event' : 'event-as-recorded';
    const sql = clock === 'event' ? EVENT_AS_OF_SQL : clock === 'recorded' ? RECORDED_AS_OF_SQL : EVENT_AS_RECORDED_SQL;
    const params: unknown[] = clock === 'event' ? [accountId, q.at] : [accountId, q.at, q.asRecordedAt];
    // One round trip: the account must exist (404 otherwise); it may have no entry at the instant (0 before its first).
    const [row] = await this.db.query<AsOfRow>(sql, params);
    if (!row) throw ApiError.notFound(`account ${accountId}`);
    const balanceTpp = row.balance_tpp === null ? 0n : BigInt(row.balance_tpp);
    const entryCap = row.cap_tpp === null ? null : BigInt(row.cap_tpp);
    const capTpp =
      q.at === null ? entryCap : capInForceAt(this.pack, accountId, q.at.getTime(), row.g2g_at?.getTime() ?? null, entryCap);
    return {
      account: accountId,
      clock,
      at: q.at?.toISOString() ?? null,
      asRecordedAt: q.asRecordedAt?.toISOString() ?? null,
      balanceTpp,
      capTpp,
      utilization: utilization(balanceTpp, capTpp),
      entriesCounted: row.entries === null ? null : BigInt(row.entries),
      knownThroughSeq: row.known_seq === null ? null : BigInt(row.known_seq),
      entry:
        row.seq !== null
          ? {
              seq: BigInt(row.seq),
              occurredAt: row.occurred_at!.toISOString(),
              recordedAt: row.recorded_at!.toISOString(),
              event: { publisher: row.event_publisher!, eventId: row.event_id! },
            }
          : null,
    };
  }

  // Event time: each point is the sum of the movements dated at or before it, with the cap in force then.
  async series(principal: Principal, accountId: string, q: BalanceSeriesQuery): Promise<BalanceSeries> {
    this.requireVisible(principal, accountId);
    return this.db.snapshot(async (db) => {
      const [account] = await db.query<{ country: string | null; g2g_at: Date | null }>(
        'SELECT country, (SELECT arranged_at FROM g2g_arrangements g WHERE g.country = a.country) AS g2g_at FROM accounts a WHERE id = $1',
        [accountId],
      );
      if (!account) throw ApiError.notFound(`account ${accountId}`);
      let fromMs = q.from?.getTime() ?? null;
      let toMs = q.to?.getTime() ?? null;
      if (fromMs === null || toMs === null) {
        // Two probes of the (account_id, occurred_at) index.
        const [span] = await db.query<{ first: Date | null; last: Date | null }>(
          `SELECT (SELECT occurred_at FROM ledger_entries WHERE account_id = $1 ORDER BY occurred_at ASC LIMIT 1) AS first,
                  (SELECT occurred_at FROM ledger_entries WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT 1) AS last`,
          [accountId],
        );
        if (!span?.first || !span.last) return { account: accountId, from: null, to: null, points: [] };
        fromMs ??= span.first.getTime();
        toMs ??= span.last.getTime();
        if (fromMs > toMs) fromMs = toMs;
      }
      const instants: Date[] = [];
      for (let i = 0; i < q.points; i++) {
        instants.push(new Date(fromMs + Math.round(((toMs - fromMs) * i) / (q.points - 1))));
      }
      const rows = await db.query<{ at: Date; balance_tpp: string; cap_tpp: string | null }>(EVENT_SERIES_SQL, [accountId, instants]);
      const g2gMs = account.g2g_at?.getTime() ?? null;
      return {
        account: accountId,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        points: rows.map((r) => ({
          at: r.at.toISOString(),
          balanceTpp: BigInt(r.balance_tpp),
          capTpp: capInForceAt(this.pack, accountId, r.at.getTime(), g2gMs, r.cap_tpp === null ? null : BigInt(r.cap_tpp)),
        })),
      };
    });
  }

  // Entries, as-of balances and series date and size every entry behind them: they need full access
  // (auth/access-policy.ts), decided from the id alone, before any lookup.
  private requireVisible(principal: Principal, accountId: string): void {
    accountRefOf(accountId);
    requireAccountAccess(principal, accountId, 'full');
  }

  private async requireAccount(db: Queryable, accountId: string): Promise<void> {
    const rows = await db.query('SELECT 1 FROM accounts WHERE id = $1', [accountId]);
    if (rows.length === 0) throw ApiError.notFound(`account ${accountId}`);
  }
}
