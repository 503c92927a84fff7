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
  | 'uveu-outside-us'
  | 'country-licensed'
  | 'license'
  // product:CHIP:KEY, a pack's product-cap account (timeline/product-cap.ts)
  | 'product';

export interface ParsedAccount {
  kind: AccountKind;
  country: string | null;
  veuId: string | null;
  consignee: string | null;
  year: number | null;
  licenceId: string | null;
  product?: string;
  market?: string;
}

// Ids are memoized: the judge builds the same few hundred ids millions of times, and a string that already exists
// (with its hash computed) is looked up in a Map much faster than a freshly concatenated one. Each memo is bounded.
const MEMO_ENTRIES_MAX = 100_000;

class IdMemo {
  private readonly ids = new Map<string, string>();
  constructor(private readonly build: (a: string) => string) {}
  get(a: string): string {
    let id = this.ids.get(a);
    if (id === undefined) {
      if (this.ids.size >= MEMO_ENTRIES_MAX) this.ids.clear();
      this.ids.set(a, (id = this.build(a)));
    }
    return id;
  }
}

class PairIdMemo {
  private readonly ids = new Map<string, IdMemo>();
  constructor(private readonly build: (a: string, b: string) => string) {}
  get(a: string, b: string): string {
    let byA = this.ids.get(a);
    if (byA === undefined) {
      if (this.ids.size >= MEMO_ENTRIES_MAX) this.ids.clear();
      this.ids.set(a, (byA = new IdMemo((x) => this.build(a, x))));
    }
    return byA.get(b);
  }
}

const ids = {
  country: new IdMemo((cc) => `country:${cc}`),
  nveu: new IdMemo((id) => `nveu:${id}`),
  uveuShipped: new IdMemo((id) => `uveu:${id}:shipped`),
  installed: new PairIdMemo((id, cc) => `installed:${id}:${cc}`),
  uveuOutsideTier1: new IdMemo((id) => `uveu:${id}:outside-tier1`),
  uveuCountry: new PairIdMemo((id, cc) => `uveu:${id}:country:${cc}`),
  uveuOutsideUs: new IdMemo((id) => `uveu:${id}:outside-us`),
  countryLicensed: new IdMemo((cc) => `country:${cc}:licensed`),
  licence: new IdMemo((id) => `license:${id}`),
};

export const accountIds = {
  country: (cc: string) => ids.country.get(cc),
  lpp: (consignee: string, year: number) => `lpp:${consignee}:${year}`,
  nveu: (id: string) => ids.nveu.get(id),
  uveuShipped: (id: string) => ids.uveuShipped.get(id),
  installed: (id: string, cc: string) => ids.installed.get(id, cc),
  uveuOutsideTier1: (id: string) => ids.uveuOutsideTier1.get(id),
  uveuCountry: (id: string, cc: string) => ids.uveuCountry.get(id, cc),
  uveuOutsideUs: (id: string) => ids.uveuOutsideUs.get(id),
  // What licences issued for CC approved (CONTRACTS.md "Licences"); same cap as country:CC.
  countryLicensed: (cc: string) => ids.countryLicensed.get(cc),
  // The shipments drawn against one licence; cap = the licence's approved TPP.
  licence: (id: string) => ids.licence.get(id),
};

export function parseAccountId(id: string): ParsedAccount | null {
  const p = id.split(':');
  const base = { country: null, veuId: null, consignee: null, year: null, licenceId: null };
  switch (p[0]) {
    case 'country':
      if (p.length === 3 && p[2] === 'licensed') return { ...base, kind: 'country-licensed', country: p[1]! };
      return p.length === 2 ? { ...base, kind: 'country', country: p[1]! } : null;
    case 'license':
      return p.length === 2 ? { ...base, kind: 'license', licenceId: p[1]! } : null;
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
    case 'product':
      return p.length === 3 && p[1] !== '' && p[2] !== '' ? { ...base, kind: 'product', product: p[1]!, market: p[2]! } : null;
    default:
      return null;
  }
}

export function countryCap(pack: PolicyPack, cc: string, atMs: number, hasG2g: boolean): bigint | null {
  const tier = tierOf(pack, cc, atMs);
  if (tier === 1) return null;
  if (tier === 3) return pack.tier3CapTpp;
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
    case 'country-licensed':
      return countryCap(pack, parsed.country!, atMs, hasG2g(parsed.country!));
    case 'lpp':
      return pack.schemes.lpp ? pack.lppCapTpp : null;
    case 'nveu':
      return nveuCapAt(pack, atMs);
    default:
      return null;
  }
}
