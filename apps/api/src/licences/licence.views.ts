// What the licence routes return. Amounts are bigints (JSON integers written digit for digit).
import type { ExhaustionForecast } from '../accounts/exhaustion.forecast';

export type LicenceStatus = 'in-force' | 'not-yet-valid' | 'expired' | 'revoked';

export interface LicenceSummary {
  id: string;
  exporter: string;
  consignee: { id: string; country: string };
  validFrom: string;
  validTo: string;
  // At the wall clock (validity) and in the ledger (revocation).
  status: LicenceStatus;
  approvedTpp: bigint;
  // What licensed shipments drew (its license:ID balance), and what is left of the approval (never below 0).
  shippedTpp: bigint;
  remainingTpp: bigint;
  utilization: number;
  overShipped: boolean;
  issuedAt: string;
  revokedAt: string | null;
}

export interface LicenceShipment {
  seq: bigint;
  publisher: string;
  eventId: string;
  occurredAt: string;
  deltaTpp: bigint;
  shippedAfterTpp: bigint;
}

export interface LicenceDetail extends LicenceSummary {
  account: string;
  issuedBy: { publisher: string; eventId: string } | null;
  revokedBy: { publisher: string; eventId: string } | null;
  // The newest shipments drawn against it (a page of GET /licences/:id/shipments).
  shipments: { items: LicenceShipment[]; nextCursor: string | null };
  forecast: ExhaustionForecast;
  // The projected exhaustion falls after validTo: the licence runs out of time before it runs out of TPP.
  expiresBeforeExhaustion: boolean;
}

export interface CountryLicensing {
  country: string;
  tier: 1 | 2 | 3;
  licences: number;
  licencesInForce: number;
  // country:CC:licensed (a chipmaker: the same sum over its own licences only).
  approvedTpp: bigint;
  // What shipments drew on those licences (license:ID balances).
  shippedUnderLicencesTpp: bigint;
  // country:CC: everything shipped to CC that draws on its allocation.
  countryShippedTpp: bigint;
  capTpp: bigint | null;
  approvedUtilization: number | null;
  shippedUtilization: number | null;
}

export function statusOf(row: { revoked: boolean; valid_from_at: Date; valid_to_at: Date }, nowMs: number): LicenceStatus {
  if (row.revoked) return 'revoked';
  if (nowMs < row.valid_from_at.getTime()) return 'not-yet-valid';
  if (nowMs > row.valid_to_at.getTime()) return 'expired';
  return 'in-force';
}
