import { Inject, Injectable } from '@nestjs/common';
import { accountIds, countryCap, tierOf, utilizationOf, type PolicyPack } from '@app/policy';
import type { Principal } from '../auth/principal';
import { forecastExhaustion, FORECAST_WINDOW_DAYS } from '../accounts/exhaustion.forecast';
import { ApiError } from '../common/api-error';
import { encodeCursor } from '../common/cursor';
import type { Queryable } from '../database/read-database';
import { ReadDatabase } from '../database/read-database';
import { POLICY_PACK } from '../policy-pack.provider';
import { canReadLicence, requireLicenceScope } from '../auth/access-policy';
import { LicenceListQuery, LicenceShipmentsQuery } from './licence.queries';
import { statusOf, type CountryLicensing, type LicenceDetail, type LicenceShipment, type LicenceSummary } from './licence.views';

interface LicenceRow {
  id: string;
  exporter: string;
  consignee_id: string;
  consignee_country: string;
  valid_from: string;
  valid_to: string;
  valid_from_at: Date;
  valid_to_at: Date;
  tpp: string;
  revoked: boolean;
  issued_at: Date;
  revoked_at: Date | null;
  issued_seq: string;
  revoked_seq: string | null;
  shipped: string;
}

// The licence with what was shipped against it: its license:ID balance.
const LICENCE_SELECT = `
  SELECT l.id, l.exporter, l.consignee_id, l.consignee_country, l.valid_from, l.valid_to, l.valid_from_at, l.valid_to_at,
         l.tpp::text AS tpp, l.revoked, l.issued_at, l.revoked_at, l.issued_seq::text AS issued_seq, l.revoked_seq::text AS revoked_seq,
         COALESCE(a.used_tpp, 0)::text AS shipped
    FROM licences l LEFT JOIN accounts a ON a.id = 'license:' || l.id`;
const FIRST_SHIPMENTS = 25;
const DAY_MS = 86_400_000;

function summaryOf(row: LicenceRow, nowMs: number): LicenceSummary {
  const approved = BigInt(row.tpp);
  const shipped = BigInt(row.shipped);
  return {
    id: row.id,
    exporter: row.exporter,
    consignee: { id: row.consignee_id, country: row.consignee_country },
    validFrom: row.valid_from,
    validTo: row.valid_to,
    status: statusOf(row, nowMs),
    approvedTpp: approved,
    shippedTpp: shipped,
    remainingTpp: approved > shipped ? approved - shipped : 0n,
    utilization: utilizationOf(shipped, { num: approved, den: 1n }),
    overShipped: shipped > approved,
    issuedAt: row.issued_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

@Injectable()
export class LicencesService {
  constructor(
    private readonly db: ReadDatabase,
    @Inject(POLICY_PACK) private readonly pack: PolicyPack,
  ) {}

  async list(principal: Principal, q: LicenceListQuery): Promise<{ items: LicenceSummary[]; limit: number; nextCursor: string | null }> {
    const scope = requireLicenceScope(principal);
    if (scope.exporter !== null && q.exporter !== null && q.exporter !== scope.exporter) {
      throw ApiError.forbidden(`a ${principal.role} key may list only the licences issued to ${scope.exporter}`);
    }
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (v: unknown): string => `$${params.push(v)}`;
    const exporter = scope.exporter ?? q.exporter;
    if (exporter !== null) where.push(`l.exporter = ${param(exporter)}`);
    if (q.country !== null) where.push(`l.consignee_country = ${param(q.country)}`);
    if (q.afterId !== null) where.push(`l.id > ${param(q.afterId)}`);
    const rows = await this.db.query<LicenceRow>(
      `${LICENCE_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id COLLATE "C" LIMIT ${param(q.limit + 1)}`,
      params,
    );
    const nowMs = Date.now();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => summaryOf(r, nowMs)), limit: q.limit, nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null };
  }

  async detail(principal: Principal, id: string): Promise<LicenceDetail> {
    return this.db.snapshot(async (db) => {
      const row = await this.visibleLicence(db, principal, id);
      const summary = summaryOf(row, Date.now());
      const account = accountIds.licence(id);
      const by = async (seq: string | null) => {
        if (seq === null) return null;
        const [e] = await db.query<{ publisher: string; event_id: string }>(`SELECT publisher, event_id FROM inbox WHERE recorded_seq = $1`, [seq]);
        return e ? { publisher: e.publisher, eventId: e.event_id } : null;
      };
      const [latest] = await db.query<{ at: Date | null }>('SELECT max(occurred_at) AS at FROM ledger_entries WHERE account_id = $1', [account]);
      const latestMs = latest?.at ? latest.at.getTime() : null;
      let windowDeltaTpp = 0n;
      if (latestMs !== null) {
        const [sum] = await db.query<{ delta: string | null }>(
          `SELECT sum(delta_tpp)::text AS delta FROM ledger_entries WHERE account_id = $1 AND occurred_at > $2 AND occurred_at <= $3`,
          [account, new Date(latestMs - FORECAST_WINDOW_DAYS * DAY_MS), new Date(latestMs)],
        );
        windowDeltaTpp = sum?.delta ? BigInt(sum.delta) : 0n;
      }
      const forecast = forecastExhaustion({ usedTpp: summary.shippedTpp, capTpp: summary.approvedTpp, latestOccurredAtMs: latestMs, windowDeltaTpp });
      return {
        ...summary,
        account,
        issuedBy: await by(row.issued_seq),
        revokedBy: await by(row.revoked_seq),
        shipments: await this.shipmentPage(db, id, LicenceShipmentsQuery.first(FIRST_SHIPMENTS)),
        forecast,
        expiresBeforeExhaustion: forecast.projectedExhaustionAt !== null && Date.parse(forecast.projectedExhaustionAt) > row.valid_to_at.getTime(),
      };
    });
  }

  async shipments(principal: Principal, id: string, q: LicenceShipmentsQuery): Promise<{ items: LicenceShipment[]; nextCursor: string | null }> {
    return this.db.snapshot(async (db) => {
      await this.visibleLicence(db, principal, id);
      return this.shipmentPage(db, id, q);
    });
  }

  // Per country: what licences approved (country:CC:licensed), what was shipped under them, what was shipped in all
  // (country:CC) and the cap. A chipmaker gets the same figures over its own licences only (the country's shipments
  // and cap it may read anyway).
  async countries(principal: Principal): Promise<{ items: CountryLicensing[] }> {
    const scope = requireLicenceScope(principal);
    const nowMs = Date.now();
    const rows = await this.db.query<{ country: string; n: string; in_force: string; approved: string; shipped: string; country_used: string | null; licensed_used: string | null }>(
      `SELECT l.consignee_country AS country, count(*)::text AS n,
              count(*) FILTER (WHERE NOT l.revoked AND l.valid_from_at <= $2 AND l.valid_to_at >= $2)::text AS in_force,
              sum(CASE WHEN l.revoked THEN LEAST(l.tpp, COALESCE(a.used_tpp, 0)) ELSE l.tpp END)::text AS approved,
              sum(COALESCE(a.used_tpp, 0))::text AS shipped,
              (SELECT used_tpp::text FROM accounts WHERE id = 'country:' || l.consignee_country) AS country_used,
              (SELECT used_tpp::text FROM accounts WHERE id = 'country:' || l.consignee_country || ':licensed') AS licensed_used
         FROM licences l LEFT JOIN accounts a ON a.id = 'license:' || l.id
        WHERE $1::text IS NULL OR l.exporter = $1
        GROUP BY l.consignee_country ORDER BY l.consignee_country`,
      [scope.exporter, new Date(nowMs)],
    );
    const g2g = new Set((await this.db.query<{ country: string }>('SELECT country FROM g2g_arrangements')).map((r) => r.country));
    const items = rows.map((r): CountryLicensing => {
      const cap = countryCap(this.pack, r.country, nowMs, g2g.has(r.country));
      // The regulator's figure is the account itself; a chipmaker's is the same rule over its own licences.
      const approved = BigInt(scope.exporter === null ? (r.licensed_used ?? r.approved) : r.approved);
      const countryShipped = BigInt(r.country_used ?? '0');
      const ratio = (used: bigint) => (cap === null || cap === 0n ? null : utilizationOf(used, { num: cap, den: 1n }));
      return {
        country: r.country,
        tier: tierOf(this.pack, r.country, nowMs),
        licences: Number(r.n),
        licencesInForce: Number(r.in_force),
        approvedTpp: approved,
        shippedUnderLicencesTpp: BigInt(r.shipped),
        countryShippedTpp: countryShipped,
        capTpp: cap,
        approvedUtilization: ratio(approved),
        shippedUtilization: ratio(countryShipped),
      };
    });
    return { items };
  }

  private async visibleLicence(db: Queryable, principal: Principal, id: string): Promise<LicenceRow> {
    requireLicenceScope(principal);
    const [row] = await db.query<LicenceRow>(`${LICENCE_SELECT} WHERE l.id = $1`, [id]);
    // Another chipmaker's licence is not found, as one never issued is.
    if (!row || !canReadLicence(principal, row.exporter)) throw ApiError.notFound(`licence ${id}`);
    return row;
  }

  // Ordered by the column, e.seq: a bare `seq` in ORDER BY would name the text alias and sort "98" before "292".
  private async shipmentPage(db: Queryable, id: string, q: LicenceShipmentsQuery): Promise<{ items: LicenceShipment[]; nextCursor: string | null }> {
    const rows = await db.query<{ seq: string; publisher: string; event_id: string; occurred_at: Date; delta: string; balance: string }>(
      `SELECT seq::text AS seq, event_publisher AS publisher, event_id, occurred_at, delta_tpp::text AS delta, balance_tpp::text AS balance
         FROM ledger_entries e WHERE account_id = $1 ${q.beforeSeq === null ? '' : 'AND e.seq < $3'} ORDER BY e.seq DESC LIMIT $2`,
      q.beforeSeq === null ? [accountIds.licence(id), q.limit + 1] : [accountIds.licence(id), q.limit + 1, q.beforeSeq.toString()],
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        seq: BigInt(r.seq),
        publisher: r.publisher,
        eventId: r.event_id,
        occurredAt: r.occurred_at.toISOString(),
        deltaTpp: BigInt(r.delta),
        shippedAfterTpp: BigInt(r.balance),
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.seq]) : null,
    };
  }
}
