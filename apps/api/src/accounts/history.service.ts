import { Injectable } from '@nestjs/common';
import { requireAccountAccess } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { encodeCursor } from '../common/cursor';
import { ReadDatabase, type Queryable } from '../database/read-database';
import { accountRefOf } from './account-ref';
import { ENTRY_COLUMNS, toEntryView, type EntryRow, type EntryView } from './entry.view';
import type { AsOfQuery, BalanceSeriesQuery, EntryPageQuery } from './history.queries';

export interface EntryPage {
  account: string;
  items: EntryView[];
  limit: number;
  nextCursor: string | null;
}

export interface BalanceAsOf {
  account: string;
  at: string;
  balanceTpp: bigint;
  capTpp: bigint | null;
  utilization: number | null;
  // The entry the answer comes from: the last one (by event time, then ledger order) at or before `at`.
  entry: { seq: bigint; occurredAt: string; event: { publisher: string; eventId: string } } | null;
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

// The as-of lookup walks the (account_id, occurred_at) index backwards from the instant: one index probe.
const AS_OF_SQL = `
  SELECT e.seq, e.balance_tpp, e.cap_tpp, e.occurred_at, e.event_publisher, e.event_id
    FROM accounts a
    LEFT JOIN LATERAL (
      SELECT seq, balance_tpp, cap_tpp, occurred_at, event_publisher, event_id
        FROM ledger_entries
       WHERE account_id = a.id AND occurred_at <= $2
       ORDER BY occurred_at DESC, seq DESC
       LIMIT 1
    ) e ON true
   WHERE a.id = $1`;

@Injectable()
export class HistoryService {
  constructor(private readonly db: ReadDatabase) {}

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
    // One round trip: the account must exist (404 otherwise), and its as-of entry may not (0 before the first).
    const [row] = await this.db.query<{
      seq: string | null;
      balance_tpp: string | null;
      cap_tpp: string | null;
      occurred_at: Date | null;
      event_publisher: string | null;
      event_id: string | null;
    }>(AS_OF_SQL, [accountId, q.at]);
    if (!row) throw ApiError.notFound(`account ${accountId}`);
    const balanceTpp = row.balance_tpp === null ? 0n : BigInt(row.balance_tpp);
    const capTpp = row.cap_tpp === null ? null : BigInt(row.cap_tpp);
    return {
      account: accountId,
      at: q.at.toISOString(),
      balanceTpp,
      capTpp,
      utilization: utilization(balanceTpp, capTpp),
      entry:
        row.seq !== null
          ? {
              seq: BigInt(row.seq),
              occurredAt: row.occurred_at!.toISOString(),
              event: { publisher: row.event_publisher!, eventId: row.event_id! },
            }
          : null,
    };
  }

  async series(principal: Principal, accountId: string, q: BalanceSeriesQuery): Promise<BalanceSeries> {
    this.requireVisible(principal, accountId);
    return this.db.snapshot(async (db) => {
      await this.requireAccount(db, accountId);
      let fromMs = q.from?.getTime() ?? null;
      let toMs = q.to?.getTime() ?? null;
      if (fromMs === null || toMs === null) {
        const [span] = await db.query<{ first: Date | null; last: Date | null }>(
          'SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM ledger_entries WHERE account_id = $1',
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
      const rows = await db.query<{ at: Date; balance_tpp: string | null; cap_tpp: string | null }>(
        `SELECT p.at, e.balance_tpp, e.cap_tpp
           FROM unnest($2::timestamptz[]) WITH ORDINALITY AS p(at, n)
           LEFT JOIN LATERAL (
             SELECT balance_tpp, cap_tpp FROM ledger_entries
              WHERE account_id = $1 AND occurred_at <= p.at
              ORDER BY occurred_at DESC, seq DESC LIMIT 1
           ) e ON true
          ORDER BY p.n`,
        [accountId, instants],
      );
      return {
        account: accountId,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        points: rows.map((r) => ({
          at: r.at.toISOString(),
          balanceTpp: r.balance_tpp === null ? 0n : BigInt(r.balance_tpp),
          capTpp: r.cap_tpp === null ? null : BigInt(r.cap_tpp),
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
