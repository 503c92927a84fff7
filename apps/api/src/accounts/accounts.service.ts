import { Inject, Injectable } from '@nestjs/common';
import { tierOf, type PolicyPack } from '@app/policy';
import { accountScope, hasAccountAccess, requireAccountAccess } from '../auth/access-policy';
import { accountSummaryFor } from '../auth/access-views';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { JsonText } from '../common/bigint-json.interceptor';
import { stringifyJson } from '@app/contracts';
import { encodeCursor } from '../common/cursor';
import { LedgerVersion, VersionedCache } from '../database/ledger-version';
import { ReadDatabase } from '../database/read-database';
import { POLICY_PACK } from '../policy-pack.provider';
import { AccountListQuery, type AccountSort } from './account-list.query';
import { ACCOUNT_COLUMNS, toAccountSummary, type AccountRow, type AccountSummary } from './account.view';
import { accountRefOf } from './account-ref';
import { forecastExhaustion, withheldForecast, type ExhaustionForecast } from './exhaustion.forecast';
import { forecastWindow } from './exhaustion.window';

// Sort keys never null, so that keyset pagination can compare rows with one row-value comparison; accounts
// without a cap or utilization sort as the lowest values.
const SORT_SQL: Record<AccountSort, { expr: string; type: string }> = {
  id: { expr: 'id', type: 'text' },
  utilization: { expr: 'COALESCE(utilization, -1)', type: 'double precision' },
  usedTpp: { expr: 'used_tpp', type: 'numeric' },
  capTpp: { expr: 'COALESCE(cap_tpp, -1)', type: 'numeric' },
  lastOccurredAt: { expr: "COALESCE(last_occurred_at, '-infinity'::timestamptz)", type: 'timestamptz' },
};

export interface AccountPage {
  items: AccountSummary[];
  limit: number;
  nextCursor: string | null;
}

export interface ThresholdStatus {
  threshold: number;
  // true while the threshold is disarmed: it fired and utilization has not fallen back below it (minus hysteresis).
  crossed: boolean;
  timesCrossed: number | null;
  lastCrossedAt: string | null;
  lastAlertId: string | null;
}

export interface AccountDetail extends AccountSummary {
  thresholds: ThresholdStatus[];
  capExceeded: boolean;
  capExceededAlerts: number | null;
  forecast: ExhaustionForecast;
  policy: { id: string; version: string };
}

@Injectable()
export class AccountsService {
  // Listings change only when the ledger moves; dashboards ask for the same few pages over and over.
  private readonly listCache: VersionedCache<JsonText>;

  constructor(
    private readonly db: ReadDatabase,
    @Inject(POLICY_PACK) private readonly pack: PolicyPack,
    version: LedgerVersion,
  ) {
    this.listCache = new VersionedCache(version, 1_000);
  }

  // Cached as JSON text: a hit costs neither a query nor serialisation. The date is part of the key because
  // tiers are dated data.
  list(principal: Principal, q: AccountListQuery): Promise<JsonText> {
    const scope = accountScope(principal);
    // Ordering accounts by the time of their latest entry would date other companies' latest events.
    if (!scope.all && q.sort === 'lastOccurredAt') {
      throw ApiError.forbidden(`a ${principal.role} key may not sort by lastOccurredAt (it dates other companies' events)`);
    }
    const key = JSON.stringify([scope, q, new Date().toISOString().slice(0, 10)]);
    return this.listCache.get(key, async () => new JsonText(stringifyJson(await this.listUncached(principal, q))));
  }

  private async listUncached(principal: Principal, q: AccountListQuery): Promise<AccountPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };

    const scope = accountScope(principal);
    if (!scope.all) {
      const outside = (q.kinds ?? []).filter((k) => !scope.kinds.includes(k));
      if (outside.length > 0) throw ApiError.forbidden(`a ${principal.role} key may not list ${outside.join(', ')} accounts`);
      if (scope.veuId !== null && q.veuId !== null && q.veuId !== scope.veuId) {
        throw ApiError.forbidden(`a ${principal.role} key may list only the accounts of VEU ${scope.veuId}`);
      }
      where.push(`kind = ANY(${param(q.kinds ?? scope.kinds)})`);
      if (scope.veuId !== null) where.push(`veu_id = ${param(scope.veuId)}`);
    } else if (q.kinds) {
      where.push(`kind = ANY(${param(q.kinds)})`);
    }
    if (q.country !== null) where.push(`country = ${param(q.country)}`);
    if (q.veuId !== null) where.push(`veu_id = ${param(q.veuId)}`);
    if (q.utilizationAbove !== null) where.push(`utilization > ${param(q.utilizationAbove)}`);
    if (q.tier !== null) {
      const nowMs = Date.now();
      const tier1 = this.countriesOfTier(1, nowMs);
      const tier3 = this.countriesOfTier(3, nowMs);
      if (q.tier === 1) where.push(`country = ANY(${param(tier1)})`);
      else if (q.tier === 3) where.push(`country = ANY(${param(tier3)})`);
      else where.push(`country IS NOT NULL AND NOT (country = ANY(${param([...tier1, ...tier3])}))`);
    }

    const sort = SORT_SQL[q.sort];
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    if (q.after) {
      where.push(`(${sort.expr}, id) ${q.order === 'asc' ? '>' : '<'} (${param(q.after.sortKey)}::${sort.type}, ${param(q.after.id)})`);
    }
    const sql =
      `SELECT ${ACCOUNT_COLUMNS}, (${sort.expr})::text AS sort_key FROM accounts` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY ${sort.expr} ${dir}, id ${dir} LIMIT ${param(q.limit + 1)}`;
    const rows = await this.db.query<AccountRow & { sort_key: string }>(sql, params);

    const nowMs = Date.now();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => accountSummaryFor(principal, toAccountSummary(this.pack, row, nowMs))),
      limit: q.limit,
      nextCursor: rows.length > q.limit && last ? encodeCursor([q.sort, last.sort_key, last.id]) : null,
    };
  }

  async detail(principal: Principal, accountId: string): Promise<AccountDetail & { access: 'full' | 'aggregate' }> {
    accountRefOf(accountId);
    requireAccountAccess(principal, accountId, 'aggregate');
    const detail = await this.detailOf(accountId);
    return hasAccountAccess(principal, accountId, 'full') ? { ...detail, access: 'full' } : aggregateDetail(detail);
  }

  private detailOf(accountId: string): Promise<AccountDetail> {
    return this.db.snapshot(async (db) => {
      const [row] = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [accountId]);
      if (!row) throw ApiError.notFound(`account ${accountId}`);

      const crossings = await db.query<{ threshold: number; times: string; last_at: Date; last_alert_id: string }>(
        `SELECT DISTINCT ON (threshold) threshold, count(*) OVER (PARTITION BY threshold) AS times,
                occurred_at AS last_at, alert_id AS last_alert_id
           FROM alerts WHERE account_id = $1 AND kind = 'THRESHOLD_CROSSED'
          ORDER BY threshold, seq DESC`,
        [accountId],
      );
      const [exceeded] = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM alerts WHERE account_id = $1 AND kind = 'CAP_EXCEEDED'`,
        [accountId],
      );

      const { latestOccurredAtMs, windowDeltaTpp } = await forecastWindow(db, accountId);

      const summary = toAccountSummary(this.pack, row, Date.now());
      const thresholds: ThresholdStatus[] = this.pack.thresholds.map((t) => {
        const c = crossings.find((x) => Math.abs(x.threshold - t.label) < 1e-9);
        return {
          threshold: t.label,
          crossed: (row.disarmed_mask & (1 << t.index)) !== 0,
          timesCrossed: c ? Number(c.times) : 0,
          lastCrossedAt: c ? c.last_at.toISOString() : null,
          lastAlertId: c ? c.last_alert_id : null,
        };
      });
      return {
        ...summary,
        thresholds,
        capExceeded: summary.capTpp !== null && summary.usedTpp > summary.capTpp,
        capExceededAlerts: Number(exceeded?.n ?? 0),
        forecast: forecastExhaustion({ usedTpp: summary.usedTpp, capTpp: summary.capTpp, latestOccurredAtMs, windowDeltaTpp }),
        policy: { id: this.pack.id, version: this.pack.version },
      };
    });
  }

  private countriesOfTier(tier: 1 | 3, nowMs: number): string[] {
    // Every country whose tier is ever other than 2 has a timeline.
    return [...this.pack.tierTimelines.keys()].filter((cc) => tierOf(this.pack, cc, nowMs) === tier).sort();
  }
}

// An account read in aggregate (docs/api.md): the current total, cap, utilization and which thresholds are
// crossed now. Withheld: the latest entry's seq and time, when and how often thresholds were crossed, the cap
// exceedance count and the forecast (its window and rate date and size other companies' recent events).
function aggregateDetail(d: AccountDetail): AccountDetail & { access: 'aggregate'; withheld: string[] } {
  return {
    ...d,
    lastSeq: null,
    lastOccurredAt: null,
    thresholds: d.thresholds.map((t) => ({ ...t, timesCrossed: null, lastCrossedAt: null, lastAlertId: null })),
    capExceededAlerts: null,
    forecast: withheldForecast(),
    access: 'aggregate',
    withheld: ['lastSeq', 'lastOccurredAt', 'thresholds[].timesCrossed', 'thresholds[].lastCrossedAt', 'thresholds[].lastAlertId', 'capExceededAlerts', 'forecast'],
  };
}
