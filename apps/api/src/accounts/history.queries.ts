import { decodeCursor } from '../common/cursor';
import { entryPageCursor } from '../common/cursor-schemas';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, QueryReader } from '../common/query-reader';

// An account's entries in ledger order, one keyset page at a time (never the whole history in one response).
export class EntryPageQuery {
  private constructor(
    readonly order: 'asc' | 'desc',
    readonly limit: number,
    readonly afterSeq: bigint | null,
  ) {}

  static parse(raw: Record<string, unknown>): EntryPageQuery {
    const r = new QueryReader(raw);
    const order = r.oneOf('order', ['asc', 'desc'] as const) ?? 'desc';
    const limit = r.integer('limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_DEFAULT;
    const cursor = r.string('cursor', { lengthMax: 200 });
    r.done();
    const afterSeq = cursor === undefined ? null : decodeCursor(cursor, entryPageCursor(order));
    return new EntryPageQuery(order, limit, afterSeq);
  }
}

export class AsOfQuery {
  private constructor(readonly at: Date) {}

  static parse(raw: Record<string, unknown>): AsOfQuery {
    const r = new QueryReader(raw);
    const at = r.instant('at');
    if (at === undefined && raw['at'] === undefined) r.problem('at', 'is required (an RFC 3339 timestamp)');
    r.done();
    return new AsOfQuery(at!);
  }
}

export const SERIES_POINTS_MAX = 500;

// Balance over time, sampled at `points` evenly spaced instants from `from` to `to` (by default the account's first
// and latest event times): each point is one as-of lookup, so the cost is bounded by points, not by history.
export class BalanceSeriesQuery {
  private constructor(
    readonly from: Date | null,
    readonly to: Date | null,
    readonly points: number,
  ) {}

  static parse(raw: Record<string, unknown>): BalanceSeriesQuery {
    const r = new QueryReader(raw);
    const from = r.instant('from');
    const to = r.instant('to');
    const points = r.integer('points', 2, SERIES_POINTS_MAX) ?? 100;
    if (from && to && from.getTime() > to.getTime()) r.problem('from', 'must not be after to');
    r.done();
    return new BalanceSeriesQuery(from ?? null, to ?? null, points);
  }
}
