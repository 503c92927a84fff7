import type { ComplianceAlertV1 } from '@app/contracts';

export interface AlertRow {
  alert_id: string;
  seq: string;
  account_id: string;
  kind: string;
  severity: string;
  threshold: number | null;
  payload: Record<string, unknown>;
  used_tpp: string | null;
  cap_tpp: string | null;
  occurred_at: Date;
  created_at: Date;
  published_at: Date | null;
}

// Amounts are read from the jsonb as text (payload->>'usedTpp') so they reach the client exactly, whatever their size.
export const ALERT_COLUMNS =
  "alert_id, seq, account_id, kind, severity, threshold, payload, payload->>'usedTpp' AS used_tpp, " +
  "payload->>'capTpp' AS cap_tpp, occurred_at, created_at, published_at";

export type AlertView = ComplianceAlertV1 & { seq: bigint; recordedAt: string; publishedAt: string | null };

export function toAlertView(row: AlertRow): AlertView {
  const doc = row.payload as unknown as ComplianceAlertV1;
  return {
    ...doc,
    usedTpp: row.used_tpp === null ? 0n : BigInt(row.used_tpp),
    capTpp: row.cap_tpp === null ? null : BigInt(row.cap_tpp),
    seq: BigInt(row.seq),
    recordedAt: row.created_at.toISOString(),
    publishedAt: row.published_at ? row.published_at.toISOString() : null,
  };
}
