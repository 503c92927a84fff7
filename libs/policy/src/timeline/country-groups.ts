// Country groups (EAR Supplement No. 1 to Part 740: D:1, D:4, D:5, A:5, A:6, ...) as dated data, and the tiers a
// pack builds from them. A pack's tier is what the judge acts on: 3 = presumption of denial (judged like the
// framework's Tier 3), 2 = a licence is required (with the pack's country cap, possibly none), 1 = nothing is
// required. A tier is the union of listed countries and group members, less the members of excepted groups,
// evaluated at each date where a group changes; tier3 wins over tier2, tier2 over tier1, and a country in none of
// them has the pack's `otherCountries` tier. The result is one tier timeline per country, so tierOf() stays a lookup.
import { isAssignedCountry } from '@app/contracts/countries';
import type { Tier, TierTimeline } from '../policy-pack';

export interface CountryGroupDoc {
  title: string;
  countries: string[];
  changes: Array<{ from: string; add?: string[]; remove?: string[] }>;
}

export interface DestinationSetDoc {
  countries: string[];
  groups?: string[];
  exceptGroups?: string[];
}

export interface TiersDoc {
  tier1: DestinationSetDoc;
  tier2?: DestinationSetDoc;
  tier3: DestinationSetDoc;
  otherCountries: { tier: 1 | 2 };
  changes: Array<{ country: string; tier: Tier; from: string }>;
}

export interface CompiledTiers {
  tier1: Set<string>;
  tier3: Set<string>;
  otherTier: 1 | 2;
  tierTimelines: Map<string, TierTimeline>;
  tierChanges: Map<string, Array<{ fromMs: number; tier: Tier }>>;
  // Membership of each group at any instant (for docs, tests and the API).
  groupsAt: (atMs: number) => Map<string, Set<string>>;
}

export const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

// Checks the codes and group references, and collects every country the pack names and every date a group changes.
function scan(tiers: TiersDoc, groupsDoc: Record<string, CountryGroupDoc>, problems: string[]): { universe: Set<string>; breakpoints: Set<number> } {
  const checkCodes = (list: readonly string[], where: string) => {
    list.forEach((c, i) => {
      if (!isAssignedCountry(c)) problems.push(`${where}[${i}]: "${c}" is not an assigned ISO 3166-1 code`);
    });
  };
  const breakpoints = new Set<number>();
  const universe = new Set<string>();
  for (const [name, g] of Object.entries(groupsDoc)) {
    checkCodes(g.countries, `countryGroups["${name}"].countries`);
    g.countries.forEach((c) => universe.add(c));
    g.changes.forEach((ch, i) => {
      if (Number.isNaN(dayMs(ch.from))) problems.push(`countryGroups["${name}"].changes[${i}].from: not a calendar date`);
      breakpoints.add(dayMs(ch.from));
      for (const key of ['add', 'remove'] as const) {
        checkCodes(ch[key] ?? [], `countryGroups["${name}"].changes[${i}].${key}`);
        (ch[key] ?? []).forEach((c) => universe.add(c));
      }
    });
  }
  const sets: Array<[string, DestinationSetDoc | undefined]> = [['tier1', tiers.tier1], ['tier2', tiers.tier2], ['tier3', tiers.tier3]];
  for (const [name, set] of sets) {
    if (set === undefined) continue;
    checkCodes(set.countries, `tiers.${name}.countries`);
    set.countries.forEach((c) => universe.add(c));
    for (const g of [...(set.groups ?? []), ...(set.exceptGroups ?? [])]) {
      if (groupsDoc[g] === undefined) problems.push(`tiers.${name}: group "${g}" is not defined in countryGroups`);
    }
  }
  for (const c of tiers.tier1.countries) if (tiers.tier3.countries.includes(c)) problems.push(`tiers: ${c} is listed in both tier1 and tier3`);
  return { universe, breakpoints };
}

export function compileTiers(tiers: TiersDoc, groupsDoc: Record<string, CountryGroupDoc>, problems: string[]): CompiledTiers {
  const { universe, breakpoints } = scan(tiers, groupsDoc, problems);
  const groupsAt = (atMs: number): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>();
    for (const [name, g] of Object.entries(groupsDoc)) {
      const members = new Set(g.countries);
      const dated = [...g.changes].sort((a, b) => dayMs(a.from) - dayMs(b.from));
      for (const ch of dated) {
        if (dayMs(ch.from) > atMs) break;
        (ch.add ?? []).forEach((c) => members.add(c));
        (ch.remove ?? []).forEach((c) => members.delete(c));
      }
      out.set(name, members);
    }
    return out;
  };
  const inSet = (set: DestinationSetDoc | undefined, cc: string, groups: Map<string, Set<string>>): boolean => {
    if (set === undefined) return false;
    if ((set.exceptGroups ?? []).some((g) => groups.get(g)?.has(cc) === true)) return false;
    return set.countries.includes(cc) || (set.groups ?? []).some((g) => groups.get(g)?.has(cc) === true);
  };
  const derivedTier = (cc: string, groups: Map<string, Set<string>>): Tier =>
    inSet(tiers.tier3, cc, groups) ? 3 : inSet(tiers.tier2, cc, groups) ? 2 : inSet(tiers.tier1, cc, groups) ? 1 : tiers.otherCountries.tier;

  const tierChanges = new Map<string, Array<{ fromMs: number; tier: Tier }>>();
  tiers.changes.forEach((ch, i) => {
    if (!isAssignedCountry(ch.country)) problems.push(`tiers.changes[${i}].country: "${ch.country}" is not an assigned ISO 3166-1 code`);
    if (Number.isNaN(dayMs(ch.from))) problems.push(`tiers.changes[${i}].from: not a calendar date`);
    const list = tierChanges.get(ch.country) ?? [];
    list.push({ fromMs: dayMs(ch.from), tier: ch.tier });
    list.sort((a, b) => a.fromMs - b.fromMs);
    tierChanges.set(ch.country, list);
    universe.add(ch.country);
    breakpoints.add(dayMs(ch.from));
  });
  // An explicit dated change of one country wins over what its groups say, from its date on.
  const tierAt = (cc: string, atMs: number, groups: Map<string, Set<string>>): Tier => {
    let explicit: Tier | null = null;
    for (const ch of tierChanges.get(cc) ?? []) if (ch.fromMs <= atMs) explicit = ch.tier;
    return explicit ?? derivedTier(cc, groups);
  };

  const instants = [...breakpoints].filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
  const groupsAtInstant = instants.map((ms) => groupsAt(ms));
  const initialGroups = groupsAt(-Infinity);
  const tierTimelines = new Map<string, TierTimeline>();
  const tier1 = new Set<string>();
  const tier3 = new Set<string>();
  for (const cc of universe) {
    const initial = tierAt(cc, -Infinity, initialGroups);
    const changes: Array<{ fromMs: number; tier: Tier }> = [];
    let current = initial;
    instants.forEach((ms, k) => {
      const t = tierAt(cc, ms, groupsAtInstant[k]!);
      if (t !== current) changes.push({ fromMs: ms, tier: t });
      current = t;
    });
    tierTimelines.set(cc, { initial, changes });
    if (initial === 1) tier1.add(cc);
    if (initial === 3) tier3.add(cc);
  }
  return { tier1, tier3, otherTier: tiers.otherCountries.tier, tierTimelines, tierChanges, groupsAt };
}
