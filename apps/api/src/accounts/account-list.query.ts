import { ACCOUNT_KINDS, type AccountKind } from '../auth/principal';
import { decodeCursor } from '../common/cursor';
import { accountListCursor } from '../common/cursor-schemas';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, QueryReader } from '../common/query-reader';

export const ACCOUNT_SORTS = ['id', 'utilization', 'usedTpp', 'capTpp', 'lastOccurredAt'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

// A validated account listing request. Building one from the query string either succeeds completely or throws a
// single 400 that names every bad parameter.
export class AccountListQuery {
  private constructor(
    readonly kinds: AccountKind[] | null,
    readonly country: string | null,
    readonly tier: 1 | 2 | 3 | null,
    readonly veuId: string | null,
    readonly utilizationAbove: number | null,
    readonly sort: AccountSort,
    readonly order: 'asc' | 'desc',
    readonly limit: number,
    // The sort key (as text) and id of the last row of the previous page.
    readonly after: { sortKey: string; id: string } | null,
  ) {}

  static parse(raw: Record<string, unknown>): AccountListQuery {
    const r = new QueryReader(raw);
    const kinds = r.listOf('kind', ACCOUNT_KINDS);
    const country = r.string('country', { pattern: /^[A-Z]{2}$/, hint: 'must be an ISO 3166-1 alpha-2 code, e.g. AE' });
    const tier = r.oneOf('tier', ['1', '2', '3'] as const);
    const veuId = r.string('veu', { pattern: /^[A-Za-z0-9._-]{1,128}$/, hint: 'must be a VEU id' });
    const utilizationAbove = r.number('utilizationAbove', 0, 1_000_000);
    const sort = r.oneOf('sort', ACCOUNT_SORTS) ?? 'id';
    const order = r.oneOf('order', ['asc', 'desc'] as const) ?? (sort === 'id' ? 'asc' : 'desc');
    const limit = r.integer('limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_DEFAULT;
    const cursor = r.string('cursor', { lengthMax: 1000 });
    r.done();
    const after = cursor === undefined ? null : decodeCursor(cursor, accountListCursor(sort));
    return new AccountListQuery(
      kinds ?? null,
      country ?? null,
      tier === undefined ? null : (Number(tier) as 1 | 2 | 3),
      veuId ?? null,
      utilizationAbove ?? null,
      sort,
      order,
      limit,
      after,
    );
  }
}
