// A licence as the ledger keeps it (CONTRACTS.md, "Licences"): what the regulator approved, and whether it was
// revoked since. What was shipped against it is the balance of its `license:ID` account.

export interface LicenceRecord {
  id: string;
  exporter: string;
  consigneeId: string;
  consigneeCountry: string;
  // As issued (RFC 3339), and the instants they name (milliseconds, as occurredAt is read).
  validFrom: string;
  validTo: string;
  validFromMs: number;
  validToMs: number;
  // The approved TPP: the cap of license:ID.
  tpp: bigint;
  // true once revoked; a revoked licence keeps its record so that its history stays explainable.
  revoked: boolean;
}

// Whether a LICENSE shipment whose ref names no issued licence (or has none) is judged as before (`verify-if-known`,
// the default) or raises UNAUTHORIZED (`registered-only`).
export type LicenceSetting = 'verify-if-known' | 'registered-only';

export const LICENCE_SETTINGS: readonly LicenceSetting[] = ['verify-if-known', 'registered-only'];
export const DEFAULT_LICENCE_SETTING: LicenceSetting = 'verify-if-known';

export function isLicenceSetting(value: unknown): value is LicenceSetting {
  return typeof value === 'string' && (LICENCE_SETTINGS as readonly string[]).includes(value);
}
