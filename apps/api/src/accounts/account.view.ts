import { tierOf, type PolicyPack, type Tier } from '@app/policy';

export interface AccountRow {
  id: string;
  kind: string;
  country: string | null;
  veu_id: string | null;
  used_tpp: string;
  cap_tpp: string | null;
  utilization: number | null;
  disarmed_mask: number;
  last_seq: string | null;
  last_occurred_at: Date | null;
}

export const ACCOUNT_COLUMNS =
  'id, kind, country, veu_id, used_tpp, cap_tpp, utilization, disarmed_mask, last_seq, last_occurred_at';

export interface AccountSummary {
  account: string;
  kind: string;
  country: string | null;
  tier: Tier | null;
  veuId: string | null;
  usedTpp: bigint;
  capTpp: bigint | null;
  utilization: number | null;
  lastSeq: bigint | null;
  lastOccurredAt: string | null;
}

// Tiers are dated data; an account is shown with the tier of its country today (as of the clock reading passed).
export function toAccountSummary(pack: PolicyPack, row: AccountRow, nowMs: number): AccountSummary {
  return {
    account: row.id,
    kind: row.kind,
    country: row.country,
    tier: row.country ? tierOf(pack, row.country, nowMs) : null,
    veuId: row.veu_id,
    usedTpp: BigInt(row.used_tpp),
    capTpp: row.cap_tpp === null ? null : BigInt(row.cap_tpp),
    utilization: row.utilization,
    lastSeq: row.last_seq === null ? null : BigInt(row.last_seq),
    lastOccurredAt: row.last_occurred_at ? row.last_occurred_at.toISOString() : null,
  };
}
