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

// A bare date (2026-02-15) is read as the instant that day begins in UTC (2026-02-15T00:00:00Z), as JavaScript and
// most tools read it; everything else must be a full RFC 3339 timestamp with a zone.
const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
function withDatesAsMidnight(raw: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = { ...raw };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string' && FULL_DATE.test(v)) out[f] = `${v}T00:00:00Z`;
  }
  return out;
}

// The two clocks (docs/history.md): `at` is an event time (what had happened by then), `asRecordedAt` a moment of
// the ledger's own clock (what it knew then). One of them, or both (event time `at` as known at `asRecordedAt`).
export class AsOfQuery {
  private constructor(
    readonly at: Date | null,
    readonly asRecordedAt: Date | null,
  ) {}

  static parse(raw: Record<string, unknown>): AsOfQuery {
    const r = new QueryReader(withDatesAsMidnight(raw, ['at', 'asRecordedAt']));
    const at = r.instant('at');
    const asRecordedAt = r.instant('asRecordedAt');
    if (raw['at'] === undefined && raw['asRecordedAt'] === undefined) {
      r.problem('at', 'at (an event time) or asRecordedAt (a moment of the ledger), or both, is required (RFC 3339 timestamps)');
    }
    r.done();
    return new AsOfQuery(at ?? null, asRecordedAt ?? null);
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
    const r = new QueryReader(withDatesAsMidnight(raw, ['from', 'to']));
    const from = r.instant('from');
    const to = r.instant('to');
    const points = r.integer('points', 2, SERIES_POINTS_MAX) ?? 100;
    if (from && to && from.getTime() > to.getTime()) r.problem('from', 'must not be after to');
    r.done();
    return new BalanceSeriesQuery(from ?? null, to ?? null, points);
  }
}
