// Account ids and the cap in force for each. Ids are built only here; entity ids cannot contain ':' (see
// ENTITY_ID_PATTERN), so every id parses back unambiguously.
import { nveuCapAt, tierOf, type PolicyPack } from './policy-pack';
import { mulInt, type Rational } from './rational';

export type AccountKind =
  | 'country'
  | 'lpp'
  | 'nveu'
  | 'uveu-shipped'
  | 'installed'
  | 'uveu-outside-tier1'
  | 'uveu-country'
  | 'uveu-outside-us';

export interface ParsedAccount {
  kind: AccountKind;
  country: string | null;
  veuId: string | null;
  consignee: string | null;
  year: number | null;
}

export const accountIds = {
  country: (cc: string) => `country:${cc}`,
  lpp: (consignee: string, year: number) => `lpp:${consignee}:${year}`,
  nveu: (id: string) => `nveu:${id}`,
  uveuShipped: (id: string) => `uveu:${id}:shipped`,
  installed: (id: string, cc: string) => `installed:${id}:${cc}`,
  uveuOutsideTier1: (id: string) => `uveu:${id}:outside-tier1`,
  uveuCountry: (id: string, cc: string) => `uveu:${id}:country:${cc}`,
  uveuOutsideUs: (id: string) => `uveu:${id}:outside-us`,
};

export function parseAccountId(id: string): ParsedAccount | null {
  const p = id.split(':');
  const base = { country: null, veuId: null, consignee: null, year: null };
  switch (p[0]) {
    case 'country':
      return p.length === 2 ? { ...base, kind: 'country', country: p[1]! } : null;
    case 'lpp':
      return p.length === 3 ? { ...base, kind: 'lpp', consignee: p[1]!, year: Number(p[2]) } : null;
    case 'nveu':
      return p.length === 2 ? { ...base, kind: 'nveu', veuId: p[1]! } : null;
    case 'installed':
      return p.length === 3 ? { ...base, kind: 'installed', veuId: p[1]!, country: p[2]! } : null;
    case 'uveu':
      if (p.length === 3 && p[2] === 'shipped') return { ...base, kind: 'uveu-shipped', veuId: p[1]! };
      if (p.length === 3 && p[2] === 'outside-tier1') return { ...base, kind: 'uveu-outside-tier1', veuId: p[1]! };
      if (p.length === 3 && p[2] === 'outside-us') return { ...base, kind: 'uveu-outside-us', veuId: p[1]! };
      if (p.length === 4 && p[2] === 'country') return { ...base, kind: 'uveu-country', veuId: p[1]!, country: p[3]! };
      return null;
    default:
      return null;
  }
}

export function countryCap(pack: PolicyPack, cc: string, atMs: number, hasG2g: boolean): bigint | null {
  const tier = tierOf(pack, cc, atMs);
  if (tier === 1) return null;
  if (tier === 3) return 0n;
  if ((hasG2g || pack.g2gCountries.has(cc)) && pack.g2gCapTpp !== null) return pack.g2gCapTpp;
  return pack.tier2CapTpp;
}

// The cap of a UVEU ratio account as an exact fraction of the worldwide installed TPP.
export function ratioCap(pack: PolicyPack, kind: AccountKind, worldwideTpp: bigint): Rational {
  const limit =
    kind === 'uveu-outside-tier1' ? pack.uveu.outsideTier1Max : kind === 'uveu-country' ? pack.uveu.perCountryMax : pack.uveu.outsideUsMax;
  return mulInt(limit, worldwideTpp);
}

export function isRatioKind(kind: AccountKind): boolean {
  return kind === 'uveu-outside-tier1' || kind === 'uveu-country' || kind === 'uveu-outside-us';
}

export function plainCap(pack: PolicyPack, parsed: ParsedAccount, atMs: number, hasG2g: (cc: string) => boolean): bigint | null {
  switch (parsed.kind) {
    case 'country':
      return countryCap(pack, parsed.country!, atMs, hasG2g(parsed.country!));
    case 'lpp':
      return pack.lppCapTpp;
    case 'nveu':
      return nveuCapAt(pack, atMs);
    default:
      return null;
  }
}
